import type { Knex } from 'knex';

/**
 * The device's mail store. An email is stored once (`emails`); who sees it is
 * a `mailboxes` row per user and folder, so read and delete are per user.
 * Attachment bytes live in files named by SHA-256; `email_attachments` says
 * which email carries which file under which name.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (table) => {
    table.increments('id');
    table.string('name').notNullable().unique();
    table.string('address').notNullable().unique();
    table.string('password_hash').notNullable();
    table.string('role').notNullable().defaultTo('user'); // user | admin
    table.boolean('is_suspended').notNullable().defaultTo(false);
    table.string('language');
    table.string('created_at').notNullable();
    table.string('last_login_at');
    // Set when the account changed since the last upload (the sync issue sends accounts to the cloud).
    table.boolean('is_synced').notNullable().defaultTo(false);
  });

  await knex.schema.createTable('emails', (table) => {
    table.increments('id'); // stable rowid for the FTS index
    table.string('uid').notNullable().unique(); // the protocol's _uid
    table.string('from_address').notNullable();
    table.text('to_addresses').notNullable().defaultTo('[]'); // JSON arrays
    table.text('cc_addresses').notNullable().defaultTo('[]');
    table.text('bcc_addresses').notNullable().defaultTo('[]');
    table.text('subject').notNullable().defaultTo('');
    table.text('body_html').notNullable().defaultTo(''); // sanitised before it is stored
    table.string('sent_at').notNullable(); // UTC "yyyy-mm-dd HH:MM", as in the protocol
    table.string('created_at').notNullable();
    table.boolean('is_news').notNullable().defaultTo(false);
    // Mail this device sends to the internet: waiting → handed → sent | bounced. Null for the rest.
    table.string('delivery_state');
    table.string('waiting_at');
    table.string('handed_at');
    table.string('delivered_at');
    table.string('bounced_at');
    table.text('delivery_detail');
    table.index(['delivery_state']);
    table.index(['is_news', 'sent_at']);
  });

  await knex.schema.createTable('mailboxes', (table) => {
    table.increments('id');
    table.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    table.integer('email_id').notNullable().references('emails.id').onDelete('CASCADE');
    table.string('folder').notNullable(); // inbox | sent | outbox
    table.string('sent_at').notNullable(); // copied from the email, for the listing index
    table.boolean('is_read').notNullable().defaultTo(false);
    table.boolean('is_deleted').notNullable().defaultTo(false);
    table.unique(['user_id', 'email_id', 'folder']);
    table.index(['user_id', 'folder', 'is_deleted', 'sent_at']);
    table.index(['email_id']);
  });

  await knex.schema.createTable('attachments', (table) => {
    table.string('sha256').primary();
    table.integer('size').notNullable();
    table.string('created_at').notNullable();
  });

  await knex.schema.createTable('email_attachments', (table) => {
    table.integer('email_id').notNullable().references('emails.id').onDelete('CASCADE');
    table.integer('position').notNullable();
    table.string('filename').notNullable();
    table.string('cid');
    table.string('type').notNullable();
    table.integer('size').notNullable();
    table.string('sha256').notNullable();
    // Held back in the cloud (protocol.md "Large attachments"): no file until the user asks for it.
    table.boolean('deferred').notNullable().defaultTo(false);
    table.string('preview_sha256');
    table.primary(['email_id', 'position']);
    table.index(['sha256']);
  });

  // Subject, body text and addresses; rowid = emails.id. Contentless: the text is in `emails`.
  await knex.raw(
    `CREATE VIRTUAL TABLE emails_fts USING fts5(subject, body, addresses, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`,
  );

  // connect-session-knex's table, created here so the schema has one owner.
  await knex.schema.createTable('sessions', (table) => {
    table.string('sid').primary();
    table.text('sess').notNullable();
    table.string('expired').notNullable().index();
  });

  // What each sync did; written by the sync issue, read by the status page.
  await knex.schema.createTable('sync_runs', (table) => {
    table.increments('id');
    table.string('started_at').notNullable();
    table.string('finished_at');
    table.string('status').notNullable(); // running | ok | failed
    table.integer('bytes_up');
    table.integer('bytes_down');
    table.text('detail');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const name of ['sync_runs', 'sessions', 'email_attachments', 'attachments', 'mailboxes']) {
    await knex.schema.dropTable(name);
  }
  await knex.raw('DROP TABLE emails_fts');
  await knex.schema.dropTable('emails');
  await knex.schema.dropTable('users');
}
