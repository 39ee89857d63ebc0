import { DEV_MAIL_SEAL_KEY, openSealedSecret } from '@shop/platform';

/**
 * The verification link and token of a customer event, as the notification worker reads them:
 * opened from the seal (the development key unless told), or from an older event in clear.
 */
export function verificationLinkOf(
  data: { verificationLinkSealed?: string; verificationUrl?: string } | undefined,
  key: string = DEV_MAIL_SEAL_KEY,
): { link: string; token: string } {
  if (!data) throw new Error('no event to read a verification link from');
  const link = data.verificationLinkSealed ? openSealedSecret(key, data.verificationLinkSealed) : data.verificationUrl;
  if (!link) throw new Error('the event carries no verification link');
  return { link, token: new URL(link).searchParams.get('token') ?? '' };
}
