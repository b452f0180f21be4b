import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { TrellisDataConverter } from '@trellis/db';
import { TEMPORAL_DATA_CONVERTER } from '../../infrastructure/temporal/temporal.module.js';
import { AcceptsOrigin, RequirePermission } from '../identity/access/access-declaration.js';
import { payloadsFromJson, payloadsToJson, type PayloadJson } from './payload-json.js';

/**
 * Temporal's remote codec endpoints, for the Temporal UI and CLI (`--codec-endpoint`): they run payloads
 * through the same codecs as the API's Temporal client, so a signed-in ADMIN (session cookie, sent by the UI
 * with "include credentials") or an ADMIN API key sees decrypted payloads, and nobody else does. Cross-origin
 * calls are accepted from `TRELLIS_TEMPORAL_UI_URL` only (see `registerCodecCors`).
 *
 * The codecs are the deployment's: an ADMIN of one workspace who holds another's history could decode it, so
 * Temporal UI access belongs to operators.
 */
@Controller('codec')
@RequirePermission('payloads:decode')
@AcceptsOrigin('temporalUi')
export class CodecController {
  private readonly codecs: readonly PayloadCodec[];

  constructor(@Inject(TEMPORAL_DATA_CONVERTER) dataConverter: TrellisDataConverter) {
    this.codecs = dataConverter.payloadCodecs;
  }

  /** `POST /codec/decode`: `{ payloads }` as stored in history → as the workflow saw them. */
  @Post('decode')
  @HttpCode(200)
  async decode(@Body() body: unknown): Promise<{ payloads: PayloadJson[] }> {
    let payloads: Payload[] = payloadsFromJson(body);
    for (const codec of [...this.codecs].reverse()) payloads = await codec.decode(payloads);
    return payloadsToJson(payloads);
  }

  /** `POST /codec/encode`: the reverse, for signals and queries sent from the UI. */
  @Post('encode')
  @HttpCode(200)
  async encode(@Body() body: unknown): Promise<{ payloads: PayloadJson[] }> {
    let payloads: Payload[] = payloadsFromJson(body);
    for (const codec of this.codecs) payloads = await codec.encode(payloads);
    return payloadsToJson(payloads);
  }
}
