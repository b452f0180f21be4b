import { Inject, Injectable } from '@nestjs/common';
import { type Dag, findSecretReferences, formatPath, validateDag } from '@trellis/dag-interpreter';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { PRISMA, type TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import { NodeTypeCatalogueService } from '../../node-types/services/node-type-catalogue.service.js';

/** A DAG that passed validation, with the secrets it references. */
export interface ParsedDag {
  dag: Dag;
  /** Distinct names of the `{{ secrets.NAME }}` it holds, sorted. */
  secretNames: string[];
}

/**
 * Validates agent DAGs against the node types this deployment can run: the workflow's own
 * (`set`, `approval`, `delay`, `forEach`, `subflow`, `agent`) plus every connector registered in `@trellis/connectors`,
 * and against the caller's vault: every secret a DAG references must exist in the workspace.
 */
@Injectable()
export class DagValidatorService {
  constructor(
    private readonly nodeTypes: NodeTypeCatalogueService,
    @Inject(PRISMA) private readonly prisma: TrellisPrismaClient,
  ) {}

  /**
   * @param raw the DAG as received from the caller
   * @returns the parsed DAG with defaults applied (this is what gets stored) and the secrets it references
   * @throws TrellisException `BAD_USER_INPUT` with one issue per problem (paths such as `nodes[2].config.url`),
   *   unknown secret names included
   */
  async parse(raw: unknown): Promise<ParsedDag> {
    const result = validateDag(raw, { catalogue: this.nodeTypes.catalogue });
    if (!result.ok) throw TrellisException.badUserInput('Invalid DAG', result.issues);
    const unknown = await this.unknownSecrets(result.dag);
    if (unknown.length > 0) throw TrellisException.badUserInput('Invalid DAG', unknown);
    return { dag: result.dag, secretNames: [...new Set(findSecretReferences(result.dag).map((reference) => reference.name))].sort() };
  }

  /** The problems {@link parse} would refuse `raw` for (paths as there); empty when it would accept it. */
  async issuesOf(raw: unknown): Promise<{ path: string; message: string }[]> {
    const result = validateDag(raw, { catalogue: this.nodeTypes.catalogue });
    return result.ok ? this.unknownSecrets(result.dag) : result.issues;
  }

  /** One issue per reference to a name the workspace's vault does not hold. */
  private async unknownSecrets(dag: Dag): Promise<{ path: string; message: string }[]> {
    const references = findSecretReferences(dag);
    if (references.length === 0) return [];
    const names = [...new Set(references.map((reference) => reference.name))];
    const known = new Set((await this.prisma.secret.findMany({ where: { name: { in: names } }, select: { name: true } })).map((secret) => secret.name));
    return references
      .filter((reference) => !known.has(reference.name))
      .map((reference) => ({ path: formatPath(reference.path), message: `unknown secret "${reference.name}": set it with setSecret first` }));
  }
}
