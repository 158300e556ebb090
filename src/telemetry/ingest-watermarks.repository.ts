import { Injectable } from '@nestjs/common';
import { Sql } from '../database/sql';
import { GenerateSql, SAMPLE_UUID } from '../database/sql-snapshot';

/** An instance's ingest watermark as the database clock sees it now. */
export interface IngestWatermark {
  id: string;
  flushedThrough: Date;
  /** Seconds since flushed_through. */
  flushedAgeS: number;
  /** Seconds since available_since. */
  availableAgeS: number;
}

/**
 * $1 instance id, $2 seconds since the batch was taken, $3 the previous write succeeded. Records
 * that every frame the instance received until the batch was taken is written; an unbroken run
 * of successful writes keeps its start (available_since), a write after a failure starts one.
 */
const SQL_RECORD = `
  INSERT INTO service_instances AS i (id, flushed_through, available_since)
  VALUES ($1, now() - make_interval(secs => $2), now() - make_interval(secs => $2))
  ON CONFLICT (id) DO UPDATE SET flushed_through = EXCLUDED.flushed_through,
    available_since = CASE WHEN $3 THEN i.available_since ELSE EXCLUDED.available_since END`;

const SQL_READ = `
  SELECT id, flushed_through AS "flushedThrough",
         extract(epoch FROM now() - flushed_through)::float8 AS "flushedAgeS",
         extract(epoch FROM now() - available_since)::float8 AS "availableAgeS"
    FROM service_instances`;

/**
 * The service_instances table: how far each instance's writes of gateway frames have got
 * (TelemetryIngest writes it, LivenessService reads it). Rows of instances gone for long are pruned.
 */
@Injectable()
export class IngestWatermarksRepository {
  constructor(private readonly sql: Sql) {}

  @GenerateSql([SAMPLE_UUID, 0.01, true])
  async record(instanceId: string, batchAgeS: number, continuous: boolean): Promise<void> {
    await this.sql.run(SQL_RECORD, [instanceId, batchAgeS, continuous]);
  }

  @GenerateSql()
  all(): Promise<IngestWatermark[]> {
    return this.sql.rows<IngestWatermark>(SQL_READ);
  }

  /** Forgets instances that have written nothing for `olderThanS` seconds. */
  @GenerateSql([86400])
  async pruneOlderThan(olderThanS: number): Promise<void> {
    await this.sql.run('DELETE FROM service_instances WHERE flushed_through < now() - make_interval(secs => $1)', [olderThanS]);
  }
}
