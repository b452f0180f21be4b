import { Field, ObjectType } from '@nestjs/graphql';

/** A vault secret as the API shows it: never its value, nor its ciphertext. */
@ObjectType('Secret', { description: "A named secret of the workspace's vault. No field holds its value or its ciphertext." })
export class SecretType {
  @Field(() => String, { description: 'Its name, `^[A-Z][A-Z0-9_]*$`, referenced as `{{ secrets.NAME }}`.' })
  name!: string;

  @Field(() => [String], { description: 'Hosts (`name` or `name:port`) the value may be sent to; empty: any host the egress policy allows.' })
  allowedHosts!: string[];

  @Field(() => Date, { description: 'When it was first set.' })
  createdAt!: Date;

  @Field(() => Date, { description: 'When its value or hosts last changed.' })
  updatedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When a run last used it; null before the first use.' })
  lastUsedAt!: Date | null;
}
