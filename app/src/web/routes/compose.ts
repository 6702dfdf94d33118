import { Router, type Response } from 'express';
import { LokoleError } from '@lokole/protocol';
import { nextSyncTime } from '../../config.js';
import {
  jpegName,
  makeDraft,
  parseAddressList,
  shrinkPhoto,
  textToHtml,
  type DraftMode,
  type OutgoingAttachment,
  type StoredAttachment,
} from '../../mail/index.js';
import type { RouteDeps } from '../app.js';
import { errorMessage } from '../messages.js';
import { currentUser, flash, requireUser } from '../middleware.js';
import { parseMultipart, removeUploads, type UploadedFile } from '../uploads.js';

interface ComposeForm {
  to: string;
  cc: string;
  bcc: string;
  subject: string;
  body: string;
  forwardUid: string;
  /** The original's attachments a forward offers, and which of them are ticked. */
  forwardAttachments: StoredAttachment[];
  keep: number[];
  sendOriginal: boolean;
}

const EMPTY: ComposeForm = {
  to: '',
  cc: '',
  bcc: '',
  subject: '',
  body: '',
  forwardUid: '',
  forwardAttachments: [],
  keep: [],
  sendOriginal: false,
};

const MAX_FILES = 20;

/** Compose, reply, reply-all and forward. */
export function composeRoutes(deps: RouteDeps): Router {
  const { mail, files, config, now } = deps;
  const router = Router();
  const maxMb = Math.round(config.maxUploadBytes / (1024 * 1024));

  const render = (res: Response, status: number, form: ComposeForm, errors: string[] = []) => {
    const { _ } = res.locals.t;
    res.status(status).render('compose', { title: _('Write'), form, errors, maxMb });
  };

  router.get('/compose', requireUser, async (req, res) => {
    const { _ } = res.locals.t;
    const user = currentUser(res);
    const query = req.query as Record<string, unknown>;
    const modes: [string, DraftMode][] = [
      ['reply', 'reply'],
      ['replyall', 'reply-all'],
      ['forward', 'forward'],
    ];
    const found = modes.find(([key]) => typeof query[key] === 'string');
    if (!found) {
      const to = typeof query.to === 'string' ? parseAddressList(query.to).addresses.join(', ') : '';
      return render(res, 200, { ...EMPTY, to });
    }
    const [key, mode] = found;
    const { email } = await mail.open(user.id, String(query[key]));
    const header =
      mode === 'forward'
        ? _('---------- Forwarded message from %(from)s, %(date)s ----------', {
            from: email.from,
            date: res.locals.fullTime(email.sentAt),
          })
        : _('On %(date)s, %(from)s wrote:', { from: email.from, date: res.locals.fullTime(email.sentAt) });
    const draft = makeDraft(email, mode, user.address, header);
    const forwardAttachments = mode === 'forward' ? email.attachments.filter((a) => !a.deferred) : [];
    render(res, 200, {
      ...EMPTY,
      to: draft.to.join(', '),
      cc: draft.cc.join(', '),
      subject: draft.subject,
      body: draft.body,
      forwardUid: draft.forwardUid ?? '',
      forwardAttachments,
      keep: forwardAttachments.map((a) => a.position),
    });
  });

  router.post('/compose', requireUser, async (req, res) => {
    const { _ } = res.locals.t;
    const user = currentUser(res);
    const { t } = res.locals;
    let uploads: UploadedFile[] = [];
    try {
      const parsed = await parseMultipart(req, () => files.tempPath(), {
        maxTotalBytes: config.maxUploadBytes,
        maxFiles: MAX_FILES,
      });
      uploads = parsed.files;
      const one = (name: string) => parsed.fields.get(name)?.[0] ?? '';
      const form: ComposeForm = {
        to: one('to'),
        cc: one('cc'),
        bcc: one('bcc'),
        subject: one('subject').slice(0, 500),
        body: one('body'),
        forwardUid: one('forward'),
        forwardAttachments: [],
        keep: (parsed.fields.get('keep') ?? []).map(Number).filter(Number.isInteger),
        sendOriginal: one('original') === '1',
      };
      const forwarded = form.forwardUid ? (await mail.open(user.id, form.forwardUid)).email.attachments : [];
      form.forwardAttachments = forwarded.filter((a) => !a.deferred);

      const errors: string[] = [];
      if (parsed.isTooLarge) {
        const tooLarge = new LokoleError('TOO_LARGE', 'Attachments too large.', {
          reason: 'upload-too-large',
        });
        errors.push(errorMessage(t, tooLarge, { mb: maxMb }));
      }
      const lists = {
        to: parseAddressList(form.to),
        cc: parseAddressList(form.cc),
        bcc: parseAddressList(form.bcc),
      };
      for (const address of [...lists.to.invalid, ...lists.cc.invalid, ...lists.bcc.invalid]) {
        errors.push(_('"%(address)s" is not an email address.', { address }));
      }
      const recipients = [...lists.to.addresses, ...lists.cc.addresses, ...lists.bcc.addresses];
      if (recipients.length === 0 && errors.length === 0)
        errors.push(_('Write at least one address in "To".'));
      for (const address of await mail.unknownLocalAddresses(recipients)) {
        errors.push(_('Nobody on this Lokole has the address %(address)s.', { address }));
      }
      if (errors.length > 0) {
        await removeUploads(uploads);
        return render(res, parsed.isTooLarge ? 413 : 400, form, errors);
      }

      const attachments: OutgoingAttachment[] = form.forwardAttachments
        .filter((a) => form.keep.includes(a.position))
        .map((a) => ({ filename: a.filename, type: a.type, sha256: a.sha256, size: a.size, cid: a.cid }));
      for (const upload of uploads) {
        let { tempPath, filename, type } = upload;
        if (!form.sendOriginal) {
          const resized = files.tempPath();
          if (await shrinkPhoto(tempPath, resized, upload.size)) {
            await removeUploads([upload]);
            upload.tempPath = tempPath = resized;
            filename = jpegName(filename);
            type = 'image/jpeg';
          }
        }
        const stored = await files.putFile(tempPath);
        attachments.push({ filename, type, sha256: stored.sha256, size: stored.size });
      }
      uploads = [];

      const bodyHtml = one('format') === 'html' ? form.body : textToHtml(form.body);
      const { isWaiting } = await mail.send(user, {
        to: lists.to.addresses,
        cc: lists.cc.addresses,
        bcc: lists.bcc.addresses,
        subject: form.subject,
        bodyHtml,
        attachments,
      });
      if (isWaiting) {
        flash(
          req,
          'ok',
          _('Your email is in the outbox. It leaves at the next connection: %(time)s.', {
            time: res.locals.fullTime(nextSyncTime(config.syncSchedule, now())),
          }),
        );
        res.redirect(303, '/outbox');
      } else {
        flash(req, 'ok', _('Email sent.'));
        res.redirect(303, '/sent');
      }
    } finally {
      await removeUploads(uploads);
    }
  });

  return router;
}
