import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { startInventoryFixture, type InventoryFixture } from './inventory.fixture';

/** A stock change's reason with a NUL character or an unpaired surrogate is bad input, never a 5xx, and changes nothing. */
describe('inventory service: reasons with NUL characters or unpaired surrogates', function () {
  this.timeout(30_000);
  let f: InventoryFixture;
  before(async () => {
    f = await startInventoryFixture();
  });
  after(() => f.stop());

  for (const bad of ['recount\u0000', 'recount\udc00']) {
    it(`when a set, adjustment, restock or release reason is ${JSON.stringify(bad)}, then 400 VALIDATION_ERROR and the stock stays as it was`, async () => {
      const { variantIds } = await f.createProduct({ initialStock: 5 });
      const admin = { token: f.adminToken };
      const path = `/admin/inventory/${variantIds[0]}`;
      const answers = await Promise.all([
        f.api.put(path, { quantity: 7, reason: bad }, admin),
        f.api.post(`${path}/adjustments`, { adjustment: 1, reason: bad }, admin),
        f.api.post(`${path}/restock`, { quantity: 1, reason: bad }, admin),
        f.api.post(`/internal/reservations/${randomUUID()}/release`, { reason: bad }),
      ]);
      expect(answers.map((a) => a.status)).to.deep.equal([400, 400, 400, 400]);
      expect(answers.every((a) => a.body.error.code === 'VALIDATION_ERROR')).to.equal(true);
      expect((await f.api.get(path, admin)).body).to.include({ onHand: 5 });
    });
  }
});
