import type { Knex } from 'knex';

// Times are ISO-8601 strings in UTC and days `yyyy-mm-dd`, so every query is the same SQL on
// SQLite and PostgreSQL and sorts the same way.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('admin_tokens', (t) => {
    t.string('id', 36).primary();
    t.string('role', 20).notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.string('label', 200).notNullable().defaultTo('');
    t.string('created_at', 30).notNullable();
  });

  await knex.schema.createTable('devices', (t) => {
    t.string('id', 36).primary();
    t.string('name', 40).notNullable().unique();
    t.string('domain', 255).notNullable().unique();
    t.string('token_hash', 64).notNullable().unique();
    t.string('created_at', 30).notNullable();
    t.string('last_sync_at', 30).nullable();
  });

  // Accounts created on a device (arrive in upload packages; the sync issue fills this).
  await knex.schema.createTable('device_users', (t) => {
    t.string('device_id', 36).notNullable().references('devices.id').onDelete('CASCADE');
    t.string('address', 320).notNullable();
    t.string('created_at', 30).notNullable();
    t.primary(['device_id', 'address']);
  });

  // One row per sync, for the per-device figures (the sync issue fills this).
  await knex.schema.createTable('device_syncs', (t) => {
    t.increments('id');
    t.string('device_id', 36).notNullable().references('devices.id').onDelete('CASCADE');
    t.string('at', 30).notNullable();
    t.bigInteger('bytes_up').notNullable().defaultTo(0);
    t.bigInteger('bytes_down').notNullable().defaultTo(0);
    t.integer('emails_up').notNullable().defaultTo(0);
    t.integer('emails_down').notNullable().defaultTo(0);
    t.index(['device_id', 'at']);
  });

  // Every email once, as the protocol's Email (attachments as sha256 references).
  await knex.schema.createTable('emails', (t) => {
    t.string('id', 200).primary();
    t.text('email').notNullable();
    t.string('origin', 10).notNullable();
    // The device whose user wrote it (null for mail from the internet): its "emails out".
    t.string('device_id', 36).nullable();
    t.bigInteger('size').notNullable();
    t.string('created_at', 30).notNullable();
    t.string('created_day', 10).notNullable();
    t.index(['device_id', 'created_day']);
  });

  // What each device must still receive; cleared only by the device's acknowledgement.
  await knex.schema.createTable('device_emails', (t) => {
    t.string('device_id', 36).notNullable().references('devices.id').onDelete('CASCADE');
    t.string('email_id', 200).notNullable().references('emails.id');
    t.string('state', 10).notNullable().defaultTo('pending'); // pending | packaged | acked
    t.string('package_id', 64).nullable();
    t.string('queued_at', 30).notNullable();
    t.string('queued_day', 10).notNullable();
    t.string('acked_at', 30).nullable();
    t.primary(['device_id', 'email_id']);
    t.index(['device_id', 'state']);
    t.index(['device_id', 'queued_day']);
  });

  // Delivery reports for mail a device sent; travel in its next download.
  await knex.schema.createTable('delivery_reports', (t) => {
    t.string('device_id', 36).notNullable().references('devices.id').onDelete('CASCADE');
    t.string('email_id', 200).notNullable();
    t.string('status', 10).notNullable(); // sent | bounced | deferred
    t.string('at', 30).notNullable();
    t.text('detail').notNullable();
    t.string('state', 10).notNullable().defaultTo('pending');
    t.string('package_id', 64).nullable();
    t.string('acked_at', 30).nullable();
    t.primary(['device_id', 'email_id', 'status']);
    t.index(['device_id', 'state']);
  });

  // Raw messages from the internet, stored before we answer 250; parsed by a job.
  await knex.schema.createTable('inbound_messages', (t) => {
    t.string('id', 36).primary();
    // Small messages are kept here (no blob round trip on the hot path); large ones in blob storage.
    t.string('blob_key', 200).nullable();
    t.binary('raw').nullable();
    t.string('sha256', 64).notNullable().index();
    t.bigInteger('size').notNullable();
    t.string('source', 10).notNullable();
    t.text('envelope').notNullable();
    t.string('received_at', 30).notNullable();
    t.string('state', 10).notNullable();
    t.string('email_id', 200).nullable();
    t.text('error').nullable();
  });

  // Mail going out to the internet, one row per email.
  await knex.schema.createTable('outbound_messages', (t) => {
    t.string('email_id', 200).primary().references('emails.id');
    t.string('device_id', 36).nullable().references('devices.id').onDelete('SET NULL');
    t.text('recipients').notNullable();
    t.string('state', 10).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error').nullable();
    t.string('message_id', 300).nullable();
    t.string('created_at', 30).notNullable();
  });

  // The embedded job queue (SQLite); PostgreSQL uses pg-boss's own schema instead.
  await knex.schema.createTable('jobs', (t) => {
    t.increments('id');
    t.string('name', 50).notNullable();
    t.text('payload').notNullable();
    t.bigInteger('run_at').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('max_attempts').notNullable();
    t.bigInteger('locked_until').nullable();
    t.string('state', 10).notNullable().defaultTo('queued'); // queued | failed
    t.text('last_error').nullable();
    t.string('created_at', 30).notNullable();
    t.index(['state', 'run_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'jobs',
    'outbound_messages',
    'inbound_messages',
    'delivery_reports',
    'device_emails',
    'emails',
    'device_syncs',
    'device_users',
    'devices',
    'admin_tokens',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
