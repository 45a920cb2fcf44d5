// `navigator tickets …`: the support queue from a terminal, for operators and for scripts (--json).
// Exit codes: 0 done, 1 not found, 2 bad arguments.
import { PLATFORMS, type Platform } from '../core/types.js';
import type { TicketService } from './ticket-service.js';
import { STATUSES, type Actor, type Ticket, type TicketStatus } from './types.js';

export interface TicketsCliDeps {
  service: TicketService;
  out: (s: string) => void;
  /** Retention defaults for `purge` (TRANSCRIPT_RETENTION_DAYS, TICKET_ANONYMISE_DAYS). */
  retention?: { transcriptDays: number; anonymiseDays: number };
  /** Recorded in the audit log for purge and erase; defaults to the CLI operator. */
  actor?: Actor;
  now?: () => Date;
}

export const TICKETS_USAGE = `Usage: navigator tickets <command>

  list [--status S] [--json]              open and recent tickets (S: ${STATUSES.join(', ')})
  show REF [--json]                       one ticket with its comments and audit log (REF: NAV-0042)
  export [--format csv|json]              every ticket, to standard output
  purge [--transcript-days N] [--anonymise-days M]
                                          apply the retention policy now
  erase --platform P --user U             remove one requester's personal data (P: ${PLATFORMS.join(', ')})
`;

class UsageError extends Error {}

interface Parsed {
  positional: string[];
  flags: Map<string, string | true>;
}

function parse(args: string[], known: Record<string, 'value' | 'switch'>): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const kind = known[name];
    if (!kind) throw new UsageError(`unknown option --${name}`);
    if (kind === 'switch') flags.set(name, true);
    else {
      const value = inline ?? args[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    }
  }
  return { positional, flags };
}

function days(value: string | true | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a whole number ≥ 1`);
  return n;
}

function line(t: Ticket): string {
  const summary = t.summary.length > 60 ? `${t.summary.slice(0, 59)}…` : t.summary;
  return [t.reference, t.status.padEnd(20), t.priority.padEnd(6), t.category.padEnd(19), t.createdAt.slice(0, 16), summary].join('  ');
}

async function allTickets(service: TicketService): Promise<Ticket[]> {
  const all: Ticket[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await service.list({ sort: 'oldest', limit: 1000, offset });
    all.push(...page);
    if (page.length < 1000) return all;
  }
}

export async function runTicketsCommand(argv: string[], deps: TicketsCliDeps): Promise<number> {
  const args = argv[0] === 'tickets' ? argv.slice(1) : argv;
  const [command, ...rest] = args;
  const { service, out } = deps;
  try {
    switch (command) {
      case 'list': {
        const p = parse(rest, { status: 'value', json: 'switch', limit: 'value' });
        const status = p.flags.get('status');
        if (status !== undefined && !STATUSES.includes(status as TicketStatus)) throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
        if (p.positional.length > 0) throw new UsageError(`unexpected argument ${p.positional[0]}`);
        const limit = days(p.flags.get('limit'), 100, 'limit');
        const tickets = await service.list({ ...(status ? { status: status as TicketStatus } : {}), limit });
        if (p.flags.has('json')) out(JSON.stringify(tickets, null, 2));
        else out(tickets.length === 0 ? 'No tickets.' : tickets.map(line).join('\n'));
        return 0;
      }
      case 'show': {
        const p = parse(rest, { json: 'switch' });
        if (p.positional.length !== 1) throw new UsageError('show needs exactly one ticket reference, e.g. NAV-0042');
        const ticket = await service.getByReference(p.positional[0]!);
        if (!ticket) {
          out(`No ticket ${p.positional[0]}.`);
          return 1;
        }
        const comments = await service.comments(ticket.id, { includeInternal: true });
        const audit = await service.audit(ticket.id);
        if (p.flags.has('json')) {
          out(JSON.stringify({ ticket, comments, audit }, null, 2));
          return 0;
        }
        const text = [
          `${ticket.reference}  ${ticket.status}  ${ticket.priority}  ${ticket.category}`,
          `Organisation: ${ticket.orgName} (${ticket.orgType})`,
          `Requester: ${ticket.requester.displayName ?? ticket.requester.userId} via ${ticket.requester.platform}`,
          `Assignee: ${ticket.assignee ? (ticket.assignee.name ?? ticket.assignee.id) : 'unassigned'}`,
          `Created ${ticket.createdAt}; first response due ${ticket.slaDueAt}${ticket.firstResponseAt ? `; answered ${ticket.firstResponseAt}` : ''}`,
          '',
          ticket.summary,
          ...(ticket.details ? ['', ticket.details] : []),
          '',
          'Comments:',
          ...(comments.length ? comments.map((c) => `  [${c.visibility}] ${c.createdAt} ${c.author.name ?? c.author.id}: ${c.text}`) : ['  none']),
          'Audit:',
          ...audit.map((a) => `  ${a.at} ${a.actor.name ?? a.actor.id} (${a.actor.via}) ${a.action} ${JSON.stringify(a.changes)}`),
        ];
        out(text.join('\n'));
        return 0;
      }
      case 'export': {
        const p = parse(rest, { format: 'value' });
        const format = p.flags.get('format') ?? 'csv';
        if (format !== 'csv' && format !== 'json') throw new UsageError('--format must be csv or json');
        const tickets = await allTickets(service);
        out(format === 'csv' ? service.toCsv(tickets).trimEnd() : JSON.stringify(tickets, null, 2));
        return 0;
      }
      case 'purge': {
        const p = parse(rest, { 'transcript-days': 'value', 'anonymise-days': 'value' });
        const defaults = deps.retention ?? { transcriptDays: 90, anonymiseDays: 730 };
        const result = await service.purge({
          now: (deps.now ?? (() => new Date()))(),
          transcriptDays: days(p.flags.get('transcript-days'), defaults.transcriptDays, 'transcript-days'),
          anonymiseDays: days(p.flags.get('anonymise-days'), defaults.anonymiseDays, 'anonymise-days'),
        });
        out(`Removed ${result.transcriptsRemoved} transcript(s); anonymised ${result.anonymised} ticket(s).`);
        return 0;
      }
      case 'erase': {
        const p = parse(rest, { platform: 'value', user: 'value' });
        const platform = p.flags.get('platform');
        const user = p.flags.get('user');
        if (typeof platform !== 'string' || !PLATFORMS.includes(platform as Platform)) throw new UsageError(`--platform must be one of ${PLATFORMS.join(', ')}`);
        if (typeof user !== 'string' || user.trim() === '') throw new UsageError('--user is required');
        const actor = deps.actor ?? { id: process.env.USER ?? 'operator', via: 'cli' };
        const r = await service.eraseRequester(platform as Platform, user, actor);
        out(`Erased requester data from ${r.tickets} ticket(s) and ${r.comments} comment(s); deleted ${r.feedback} feedback record(s).`);
        return 0;
      }
      case 'help':
      case '--help':
      case '-h':
        out(TICKETS_USAGE);
        return 0;
      default:
        throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    out(`navigator tickets: ${err.message}\n\n${TICKETS_USAGE}`);
    return 2;
  }
}
