import { Module } from '@nestjs/common';
import { NodeTypesResolver } from './node-types.resolver.js';
import { NodeTypeCatalogueService } from './services/node-type-catalogue.service.js';

/** The node-type catalogue: queries for editors, and `NodeTypeCatalogueService` for DAG validation. */
@Module({
  providers: [NodeTypesResolver, NodeTypeCatalogueService],
  exports: [NodeTypeCatalogueService],
})
export class NodeTypesModule {}
