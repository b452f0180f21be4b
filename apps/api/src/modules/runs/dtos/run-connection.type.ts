import { Field, Int, ObjectType } from '@nestjs/graphql';
import { RunType } from './run.type.js';

/** Relay-style page information. */
@ObjectType('PageInfo')
export class PageInfoType {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  /** Cursor of the last edge; pass it as `after` to get the next page. */
  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType('RunEdge')
export class RunEdgeType {
  /** Opaque; only meaningful to `runs(after:)`. */
  @Field(() => String)
  cursor!: string;

  @Field(() => RunType)
  node!: RunType;
}

/** A page of runs, newest first. */
@ObjectType('RunConnection')
export class RunConnectionType {
  @Field(() => [RunType])
  nodes!: RunType[];

  @Field(() => [RunEdgeType])
  edges!: RunEdgeType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;

  /** Runs matching the filters, across all pages. */
  @Field(() => Int)
  totalCount!: number;
}
