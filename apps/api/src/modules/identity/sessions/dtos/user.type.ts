import { Field, ID, ObjectType } from '@nestjs/graphql';

/** A person who signs in with an email address and a password; never carries the password hash. */
@ObjectType('User', { description: 'A person who signs in with an email address and a password.' })
export class UserType {
  @Field(() => ID, { description: "The user's id." })
  id!: string;

  @Field(() => String, { description: 'The email address the user signs in with, as they typed it.' })
  email!: string;

  @Field(() => Date, { description: 'When the account was created.' })
  createdAt!: Date;
}
