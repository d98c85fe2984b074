export { MailCatcher, type CaughtMail } from './mail-catcher.js';
