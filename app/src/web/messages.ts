import type { LokoleError } from '@lokole/protocol';
import type { Translator, Values } from '../i18n/index.js';

/**
 * What a user reads for an error, in their language. Domain errors carry a
 * `reason`; the technician's English message stays in the log.
 */
export function errorMessage(t: Translator, error: LokoleError, values: Values = {}): string {
  const { _ } = t;
  switch (error.reason) {
    case 'name-empty':
      return _('Choose a name.');
    case 'name-too-long':
      return _('A name can have at most 64 characters.');
    case 'name-characters':
      return _('A name can only have letters a to z, digits, dots and dashes.');
    case 'name-edges':
      return _('A name cannot start or end with a dot or a dash, or have two dots in a row.');
    case 'name-reserved':
      return _('The name %(name)s is reserved. Choose another one.', values);
    case 'name-taken':
      return _('The name %(name)s is already taken. Choose another one.', values);
    case 'password-short':
      return _('A password needs at least 8 characters.');
    case 'password-mismatch':
      return _('The two passwords are not the same.');
    case 'password-wrong':
      return _('The current password is not right.');
    case 'suspended':
      return _('This account is suspended. Ask the Lokole admin.');
    case 'self':
      return _('You cannot do this to your own account.');
    case 'suspend-admin':
      return _('Demote an admin before suspending them.');
    case 'promote-suspended':
      return _('Reactivate this user before making them an admin.');
    case 'upload-too-large':
      return _('The attachments are too large: at most %(mb)s MB in all. Nothing was sent.', values);
    case 'bad-csrf':
      return _('This form has expired. Go back, reload the page and try again.');
  }
  switch (error.code) {
    case 'NOT_FOUND':
      return _('This page does not exist, or you cannot see it.');
    case 'FORBIDDEN':
    case 'UNAUTHORIZED':
      return _('You are not allowed to do this.');
    case 'RATE_LIMITED':
      return _('Too many attempts. Wait a few minutes and try again.');
    case 'INVALID_INPUT':
      return _('Something in the form is not right. Check it and try again.');
    default:
      return _('Something went wrong. Please try again.');
  }
}
