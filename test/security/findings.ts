import { expect } from 'chai';
import { apiConformance } from '../e2e/api-conformance';
import type { AttackContext } from './attack-context';

const KIND = 'findings of earlier runs';

/** What the fuzz found once, pinned down so it cannot come back unnoticed. */
export function earlierFindings(context: AttackContext): void {
  describe('what the attacks found before', () => {
    const conforms = apiConformance();

    it('a GET whose body is in an unsupported charset: 415 UNSUPPORTED_MEDIA_TYPE, as the API document lists for every operation', async () => {
      const row = context.count(KIND);
      for (const path of ['/admin/products', '/admin/notifications', `/orders/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`]) {
        row.checks += 1;
        const answer = await context.client.send({ method: 'GET', path: `/api/v1${path}`, token: path.startsWith('/admin') ? context.admin : (await customerToken()), body: '{}', headers: { 'content-type': 'application/json; charset=iso-8859-1' } });
        expect(answer.status).to.equal(415);
        conforms({ method: 'GET', path, response: { status: answer.status, headers: new Headers(), body: answer.body } });
      }
    });

    it('a JSON body nested 10,000 deep is a 400 VALIDATION_ERROR, never a 500 (it was a stack overflow in the check of every string of a body)', async () => {
      const row = context.count(KIND);
      const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
      const nested = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
      for (const body of [deep, nested]) {
        row.checks += 1;
        const answer = await context.client.send({ method: 'POST', path: '/api/v1/customers/verify', body });
        expect(answer.status, answer.text).to.equal(400);
        expect(answer.body.error.code).to.equal('VALIDATION_ERROR');
      }
    });

    let token: string | undefined;
    async function customerToken(): Promise<string> {
      token ??= (await context.tools.verifiedCustomer()).token;
      return token;
    }
  });
}
