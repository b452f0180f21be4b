import { Injectable } from '@nestjs/common';
import { nodeTypeCatalogue } from '@trellis/connectors';
import { dagJsonSchema, type JsonSchemaObject, type NodeTypeCatalogue } from '@trellis/dag-interpreter';

/**
 * The node types this deployment can run (the workflow's own plus every connector of `@trellis/connectors`),
 * built once per API process, and the DAG JSON Schema derived from them.
 */
@Injectable()
export class NodeTypeCatalogueService {
  readonly catalogue: NodeTypeCatalogue = nodeTypeCatalogue();
  #dagJsonSchema: JsonSchemaObject | undefined;

  /** The DAG format as a JSON Schema (draft 2020-12), built on first use. */
  dagJsonSchema(): JsonSchemaObject {
    return (this.#dagJsonSchema ??= dagJsonSchema(this.catalogue));
  }
}
