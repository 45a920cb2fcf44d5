// The bodies Teams expects back from an `adaptiveCard/action` invoke (Universal Actions): a card
// that replaces the one acted on, a short message shown to the person who acted, or an error.
import { CARD_CONTENT_TYPE, type AdaptiveCard } from './card-kit.js';

export type CardActionBody =
  | { statusCode: 200; type: typeof CARD_CONTENT_TYPE; value: AdaptiveCard }
  | { statusCode: 200; type: 'application/vnd.microsoft.activity.message'; value: string }
  | { statusCode: 400 | 401 | 403 | 404 | 500; type: 'application/vnd.microsoft.error'; value: { code: string; message: string } };

export function cardBody(value: AdaptiveCard): CardActionBody {
  return { statusCode: 200, type: CARD_CONTENT_TYPE, value };
}

export function messageBody(value: string): CardActionBody {
  return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value };
}

export function errorBody(statusCode: 400 | 401 | 403 | 404 | 500, code: string, message: string): CardActionBody {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } };
}
