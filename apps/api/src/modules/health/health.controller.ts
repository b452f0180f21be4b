import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { Public } from '../identity/access/access-declaration.js';
import { type HealthReport, HealthService } from './services/health.service.js';

/** The part of Express's response this controller uses (Express 5 ships no type declarations here). */
interface StatusSettable {
  status(code: number): unknown;
}

/** Liveness/readiness endpoint for load balancers and orchestrators. */
@Controller()
@Public('a liveness probe that reveals only whether Postgres and Temporal answer')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** `GET /healthz`: 200 when Postgres and Temporal both answer, otherwise 503; the body says which is down. */
  @Get('healthz')
  async healthz(@Res({ passthrough: true }) response: StatusSettable): Promise<HealthReport> {
    const report = await this.health.check();
    response.status(report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
