import { Field, ObjectType } from '@nestjs/graphql';

/** The end of one page of a Relay-style connection (runs, audit events). */
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
