// The fields of an incoming Bot Framework activity this adapter relies on, checked at the edge so
// a malformed post is a 400 with a reason instead of a crash deep inside a handler. Everything
// else Teams sends passes through untouched (the schema grows; we only pin what we read).
import { z } from 'zod';

const account = z.looseObject({
  id: z.string().min(1, 'must have an id'),
  name: z.string().optional(),
  aadObjectId: z.string().optional(),
});

export const incomingActivitySchema = z.looseObject({
  type: z.string().min(1, 'must name the activity type'),
  id: z.string().optional(),
  channelId: z.string().min(1, 'must name the channel'),
  serviceUrl: z
    .string()
    .max(2000)
    .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), { message: 'must be an http(s) URL' }),
  from: account,
  recipient: account,
  conversation: z.looseObject({
    id: z.string().min(1, 'must have an id'),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
    isGroup: z.boolean().optional(),
  }),
  text: z.string().optional(),
  name: z.string().optional(),
  replyToId: z.string().optional(),
  entities: z.array(z.looseObject({ type: z.string().optional() })).optional(),
  membersAdded: z.array(account).optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
});

export type IncomingActivity = z.infer<typeof incomingActivitySchema>;

export type ActivityCheck = { ok: true; activity: IncomingActivity } | { ok: false; message: string };

export function checkActivity(value: unknown): ActivityCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'The request body must be a Bot Framework activity (a JSON object).' };
  }
  const parsed = incomingActivitySchema.safeParse(value);
  if (parsed.success) return { ok: true, activity: parsed.data };
  const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || 'activity'} ${i.message}`);
  return { ok: false, message: `Not a valid Bot Framework activity: ${problems.join('; ')}.` };
}
