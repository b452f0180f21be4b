import { Injectable } from '@nestjs/common';
import { type Dag, validateDag } from '@trellis/dag-interpreter';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { NodeTypeCatalogueService } from '../../node-types/services/node-type-catalogue.service.js';

/**
 * Validates agent DAGs against the node types this deployment can run: the workflow's own
 * (`set`, `approval`, `delay`, `forEach`, `subflow`, `agent`) plus every connector registered in `@trellis/connectors`.
 */
@Injectable()
export class DagValidatorService {
  constructor(private readonly nodeTypes: NodeTypeCatalogueService) {}

  /**
   * @param raw the DAG as received from the caller
   * @returns the parsed DAG with defaults applied; this is what gets stored
   * @throws TrellisException `BAD_USER_INPUT` with one issue per problem (paths such as `nodes[2].config.url`)
   */
  parse(raw: unknown): Dag {
    const result = validateDag(raw, { catalogue: this.nodeTypes.catalogue });
    if (!result.ok) throw TrellisException.badUserInput('Invalid DAG', result.issues);
    return result.dag;
  }

  /** The problems {@link parse} would refuse `raw` for (paths as there); empty when it would accept it. */
  issuesOf(raw: unknown): { path: string; message: string }[] {
    const result = validateDag(raw, { catalogue: this.nodeTypes.catalogue });
    return result.ok ? [] : result.issues;
  }
}
