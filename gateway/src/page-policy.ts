/**
 * The policy of the pages the gateway serves itself (the storefront, the admin, the API viewer):
 * scripts, styles and calls from this origin only (no inline script), inline style attributes,
 * data: images and fonts. Unlike helmet's default it does not upgrade requests to HTTPS, so the
 * pages also work on a development gateway over plain HTTP.
 */
export const PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
