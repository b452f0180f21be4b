import { Query, Resolver } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { NodeTypeKind, NodeTypeType } from './dtos/node-type.type.js';
import { NodeTypeCatalogueService } from './services/node-type-catalogue.service.js';
import { SignedIn } from '../identity/access/access-declaration.js';

/** The node-type catalogue and the DAG JSON Schema, for editors, forms and DAG-drafting tools. */
@Resolver(() => NodeTypeType)
export class NodeTypesResolver {
  constructor(private readonly catalogueService: NodeTypeCatalogueService) {}

  @SignedIn()
  @Query(() => [NodeTypeType], { description: 'Every node type of this deployment: workflow types first, then connectors by name.' })
  nodeTypes(): NodeTypeType[] {
    return this.catalogueService.catalogue.entries().map((entry) => ({
      type: entry.type,
      kind: entry.kind === 'workflow' ? NodeTypeKind.WORKFLOW : NodeTypeKind.CONNECTOR,
      description: entry.description,
      configJsonSchema: entry.configJsonSchema,
      unrenderedFields: [...entry.unrenderedFields],
      canCompensate: entry.canCompensate,
      notInLoopBody: entry.notInLoopBody,
    }));
  }

  @SignedIn()
  @Query(() => GraphQLJSON, {
    description: 'The DAG format as a JSON Schema (draft 2020-12) with every node type\'s config, for editors; `createAgent` also checks what it cannot express.',
  })
  dagJsonSchema(): Record<string, unknown> {
    return this.catalogueService.dagJsonSchema();
  }
}
