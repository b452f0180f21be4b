import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { PageInfoType } from '../../../common/graphql/page-info.type.js';

/** Who performed an audited action. */
export enum AuditActorTypeEnum {
  USER = 'USER',
  API_KEY = 'API_KEY',
  LINK = 'LINK',
  WEBHOOK = 'WEBHOOK',
  SCHEDULE = 'SCHEDULE',
  SYSTEM = 'SYSTEM',
}
registerEnumType(AuditActorTypeEnum, {
  name: 'AuditActorType',
  description: 'Who acted: a signed-in user, an API key, a signed decision link, a webhook call, a schedule, or Trellis itself.',
  valuesMap: {
    USER: { description: 'A signed-in user; actorId is the user id.' },
    API_KEY: { description: 'An API key; actorId is the key id.' },
    LINK: { description: 'A signed decision link; actorId is the approval id.' },
    WEBHOOK: { description: "A signed webhook call; actorId is the agent id." },
    SCHEDULE: { description: 'A schedule firing; actorId is the schedule id.' },
    SYSTEM: { description: 'Trellis itself.' },
  },
});

/** How an audited action ended. */
export enum AuditOutcomeEnum {
  SUCCESS = 'SUCCESS',
  DENIED = 'DENIED',
  ERROR = 'ERROR',
}
registerEnumType(AuditOutcomeEnum, {
  name: 'AuditOutcome',
  description: 'How the action ended.',
  valuesMap: {
    SUCCESS: { description: 'Done.' },
    DENIED: { description: 'Refused: no permission, wrong credentials, or a record of another workspace.' },
    ERROR: { description: 'Attempted and failed.' },
  },
});

@ObjectType('AuditEvent', { description: 'One security-relevant action, as recorded (the log is append-only).' })
export class AuditEventType {
  @Field(() => ID, { description: "The event's id." })
  id!: string;

  @Field(() => Date, { description: 'When it happened.' })
  occurredAt!: Date;

  @Field(() => AuditActorTypeEnum, { description: 'What kind of actor acted.' })
  actorType!: AuditActorTypeEnum;

  @Field(() => String, { nullable: true, description: "The actor's id: a user's, an API key's, an approval's for a link, an agent's for a webhook." })
  actorId!: string | null;

  @Field(() => String, { description: 'What was done, `<target>.<verb>`, such as `agent.create` or `access.denied`.' })
  action!: string;

  @Field(() => String, { nullable: true, description: 'Kind of the thing acted on, such as `agent`.' })
  targetType!: string | null;

  @Field(() => String, { nullable: true, description: 'Id of the thing acted on.' })
  targetId!: string | null;

  @Field(() => AuditOutcomeEnum, { description: 'How it ended.' })
  outcome!: AuditOutcomeEnum;

  @Field(() => String, { nullable: true, description: 'Client address of the request.' })
  ip!: string | null;

  @Field(() => String, { nullable: true, description: 'User agent of the request.' })
  userAgent!: string | null;

  @Field(() => String, { nullable: true, description: "The request's id (`X-Request-Id`), as in the API's logs." })
  requestId!: string | null;

  @Field(() => GraphQLJSON, { description: 'Details of the action; never secrets.' })
  metadata!: unknown;
}

@ObjectType('AuditEventEdge', { description: 'An audit event in a page, with its position.' })
export class AuditEventEdgeType {
  @Field(() => String, { description: 'Opaque; only meaningful to `auditEvents(after:)`.' })
  cursor!: string;

  @Field(() => AuditEventType, { description: 'The event.' })
  node!: AuditEventType;
}

@ObjectType('AuditEventConnection', { description: 'A page of audit events, newest first.' })
export class AuditEventConnectionType {
  @Field(() => [AuditEventEdgeType], { description: "The page's events with their cursors." })
  edges!: AuditEventEdgeType[];

  @Field(() => PageInfoType, { description: 'Whether another page follows, and its cursor.' })
  pageInfo!: PageInfoType;
}
