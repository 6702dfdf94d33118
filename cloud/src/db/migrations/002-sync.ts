import type { Knex } from 'knex';

/**
 * Sync packages (protocol.md "Transfer"). An upload is `open` while its blocks arrive (blocks are
 * rows of `package_blocks`, so a resumed upload knows what it has), `committed` once its bytes are
 * one durable blob and its processing job is queued, `processed` after the job. A download is
 * `ready` until the device acknowledges it (`acked`), when its blob is deleted.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sync_packages', (t) => {
    t.string('id', 36).primary();
    t.string('device_id', 36).notNullable().references('devices.id').onDelete('CASCADE');
    t.string('kind', 10).notNullable(); // upload | download
    t.string('state', 10).notNullable(); // open | committed | processed | ready | acked | expired
    t.bigInteger('size').notNullable();
    t.string('sha256', 64).notNullable();
    t.integer('emails').notNullable().defaultTo(0);
    t.string('blob_key', 200).nullable();
    t.string('created_at', 30).notNullable();
    t.string('expires_at', 30).nullable();
    t.string('done_at', 30).nullable();
    t.index(['device_id', 'kind', 'state']);
  });

  await knex.schema.createTable('package_blocks', (t) => {
    t.string('package_id', 36).notNullable().references('sync_packages.id').onDelete('CASCADE');
    t.integer('n').notNullable();
    t.binary('data').notNullable();
    t.primary(['package_id', 'n']);
  });

  // "Get full file": attachments a device asked for; they travel in its next download.
  await knex.schema.createTable('device_requests', (t) => {
    t.string('device_id', 36).notNullable().references('devices.id').onDelete('CASCADE');
    t.string('sha256', 64).notNullable();
    t.string('requested_at', 30).notNullable();
    t.string('package_id', 36).nullable();
    t.primary(['device_id', 'sha256']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['device_requests', 'package_blocks', 'sync_packages']) {
    await knex.schema.dropTableIfExists(table);
  }
}
