import { Field, Int, ObjectType } from '@nestjs/graphql';
import { RunType } from './run.type.js';

@ObjectType('PageInfo', { description: 'Where a page of a Relay-style connection ends.' })
export class PageInfoType {
  @Field(() => Boolean, { description: 'True when more items follow this page.' })
  hasNextPage!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Cursor of the last edge; pass it as `after` to get the next page. Null on an empty page.',
  })
  endCursor!: string | null;
}

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
