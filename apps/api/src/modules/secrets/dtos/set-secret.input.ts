import { Field, InputType } from '@nestjs/graphql';

@InputType({ description: 'A secret to create, or to replace when the name exists.' })
export class SetSecretInput {
  @Field(() => String, { description: '`^[A-Z][A-Z0-9_]*$`, at most 128 characters.' })
  name!: string;

  @Field(() => String, { description: 'The value, 1–65,536 bytes of UTF-8. Stored sealed; no query returns it.' })
  value!: string;

  @Field(() => [String], { nullable: true, description: 'Hosts (`name` or `name:port`) it may be sent to; absent or empty: any host the egress policy allows.' })
  allowedHosts?: string[] | null;
}
