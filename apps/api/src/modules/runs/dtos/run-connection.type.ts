import { Field, Int, ObjectType } from '@nestjs/graphql';
import { PageInfoType } from '../../../common/graphql/page-info.type.js';
import { RunType } from './run.type.js';

@ObjectType('RunEdge', { description: 'A run in a page of runs, with its position.' })
export class RunEdgeType {
  @Field(() => String, { description: 'Opaque; only meaningful to `runs(after:)`.' })
  cursor!: string;

  @Field(() => RunType, { description: 'The run.' })
  node!: RunType;
}

@ObjectType('RunConnection', { description: 'A page of runs, newest first.' })
export class RunConnectionType {
  @Field(() => [RunType], { description: "The page's runs, the same as `edges { node }`." })
  nodes!: RunType[];

  @Field(() => [RunEdgeType], { description: "The page's runs with their cursors." })
  edges!: RunEdgeType[];

  @Field(() => PageInfoType, { description: 'Whether another page follows, and its cursor.' })
  pageInfo!: PageInfoType;

  @Field(() => Int, { description: 'Runs matching the filters, across all pages.' })
  totalCount!: number;
}
