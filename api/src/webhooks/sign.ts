import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks headers for one delivery. During a secret rotation the signature header
 * carries one `v1,…` signature per secret (space separated), so receivers on either secret verify.
 */
export function signWebhook(
  secrets: string[],
  messageId: string,
  timestamp: Date,
  body: string,
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(messageId, timestamp, body));
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
