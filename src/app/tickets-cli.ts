// `navigator tickets …`: opens the configured store and hands over to the queue's CLI.
import type { Config } from '../config/config.js';
import { TicketService, defaultSqlitePath, openDatabase, runTicketsCommand } from '../queue/index.js';
import type { Logger } from '../shared/logger.js';

export async function runTicketsCli(args: string[], config: Readonly<Config>, logger: Logger): Promise<number> {
  const database = await openDatabase(
    config.databaseUrl
      ? { postgresUrl: config.databaseUrl, schema: config.databaseSchema }
      : { sqlitePath: defaultSqlitePath(config.dataDir) },
  );
  try {
    const service = new TicketService({ db: database.db, slaWorkingDays: config.slaWorkingDays, triagePlatforms: [] });
    return await runTicketsCommand(args, {
      service,
      out: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
      retention: config.retention,
    });
  } catch (err) {
    logger.error('tickets command failed', { error: err instanceof Error ? err : String(err) });
    throw err;
  } finally {
    await database.close();
  }
}
