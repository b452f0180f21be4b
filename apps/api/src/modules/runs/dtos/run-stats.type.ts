import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('RunStats', { description: "Counts of an agent's runs started within a window, by outcome." })
export class RunStatsType {
  @Field(() => Int, { description: 'Runs started in the window.' })
  runs!: number;

  @Field(() => Int, { description: 'Of those, SUCCEEDED.' })
  succeeded!: number;

  @Field(() => Int, { description: 'Of those, FAILED.' })
  failed!: number;

  @Field(() => Int, { description: 'Of those, still RUNNING or WAITING.' })
  active!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'succeeded ÷ (succeeded + failed + cancelled), 0–1; null when none of them has finished.',
  })
  successRate!: number | null;
}
