// The components' structured logger (pino, JSON lines on stderr as Karmada's klog JSON format), with
// every field that can hold a credential redacted before it is written: member cluster tokens and
// kubeconfigs travel through controllers' errors and objects, and must never reach a log.
import pino, { type DestinationStream, type Logger } from 'pino';

/** field paths pino blanks out, at the depths controllers log objects and errors */
const redactedPaths = [
  'token',
  'bearerToken',
  'password',
  'kubeconfig',
  'keyPem',
  'headers.authorization',
  'data',
  'stringData',
  'binaryData',
  '*.token',
  '*.bearerToken',
  '*.password',
  '*.kubeconfig',
  '*.keyPem',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.data',
  '*.stringData',
  '*.binaryData',
  '*.*.token',
  '*.*.headers.authorization',
  '*.*.headers.Authorization',
  '*.*.data',
  '*["client-key-data"]',
  '*["client-certificate-data"]',
];

export function componentLogger(name: string, level = process.env.LOG_LEVEL ?? 'info', destination: DestinationStream = pino.destination(2)): Logger {
  return pino({ name, level, redact: { paths: redactedPaths, censor: '[REDACTED]' } }, destination);
}
