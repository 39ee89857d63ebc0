import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { startCatalogFixture, uniqueName, type CatalogFixture } from './catalog.fixture';

describe('catalog service: categories', function () {
  this.timeout(30_000);
  let f: CatalogFixture;
  before(async () => {
    f = await startCatalogFixture();
  });
  after(() => f.stop());

  describe('POST /admin/categories', () => {
    it('when an admin creates a root category, then 201 at depth 1 and a category.created event', async () => {
      const name = uniqueName('Kitchen');
      const response = await f.api.post('/admin/categories', { name: `  ${name} ` }, { token: f.admin.token });
      expect(response.status).to.equal(201);
      expect(response.body).to.include({ name, parentCategoryId: null, depth: 1 });
      expect(response.body.id).to.be.a('string');
      const [event] = (await f.events('category.created')).filter((e) => e.data.categoryId === response.body.id);
      expect(event?.data).to.deep.equal({ categoryId: response.body.id, name, parentCategoryId: null, depth: 1, createdAt: response.body.createdAt });
    });

    it('when categories nest to depth 3, then each gets its depth; a fourth level is 422 MAX_DEPTH_EXCEEDED', async () => {
      const root = await f.createCategory();
      const child = await f.createCategory({ parentCategoryId: root.id });
      const grandchild = await f.createCategory({ parentCategoryId: child.id });
      expect([root.depth, child.depth, grandchild.depth]).to.deep.equal([1, 2, 3]);
      expect(grandchild.parentCategoryId).to.equal(child.id);

      const before = (await f.events('category.created')).length;
      const tooDeep = await f.api.post('/admin/categories', { name: uniqueName('Deep'), parentCategoryId: grandchild.id }, { token: f.admin.token });
      expect(tooDeep.status).to.equal(422);
      expect(tooDeep.body.error).to.deep.include({ code: 'MAX_DEPTH_EXCEEDED', details: { maxDepth: 3 } });
      expect((await f.events('category.created')).length).to.equal(before);
    });

    it('when the name is taken in any letter case, then 409 CATEGORY_NAME_TAKEN', async () => {
      const { name } = await f.createCategory();
      const response = await f.api.post('/admin/categories', { name: name.toUpperCase() }, { token: f.admin.token });
      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('CATEGORY_NAME_TAKEN');
    });

    it('when two admins create one name at once, then exactly one succeeds', async () => {
      const name = uniqueName('Race');
      const statuses = await Promise.all([1, 2, 3].map(() => f.api.post('/admin/categories', { name }, { token: f.admin.token }).then((r) => r.status)));
      expect(statuses.sort()).to.deep.equal([201, 409, 409]);
    });

    it('when the parent does not exist, then 404 CATEGORY_NOT_FOUND', async () => {
      const response = await f.api.post('/admin/categories', { name: uniqueName(), parentCategoryId: randomUUID() }, { token: f.admin.token });
      expect(response.status).to.equal(404);
      expect(response.body.error.code).to.equal('CATEGORY_NOT_FOUND');
    });

    it('when the body is invalid (no name, blank name, a name over 100, a malformed parent id, an unknown field), then 400 VALIDATION_ERROR', async () => {
      for (const body of [{}, { name: '   ' }, { name: 'x'.repeat(101) }, { name: uniqueName(), parentCategoryId: 'nope' }, { name: uniqueName(), depth: 2 }]) {
        const response = await f.api.post('/admin/categories', body, { token: f.admin.token });
        expect(response.status, JSON.stringify(body)).to.equal(400);
        expect(response.body.error.code).to.equal('VALIDATION_ERROR');
      }
    });

    it('when there is no token, then 401 UNAUTHORIZED; a customer token, 403 FORBIDDEN; a forged token, 401', async () => {
      const body = { name: uniqueName() };
      const anonymous = await f.api.post('/admin/categories', body);
      expect(anonymous.status).to.equal(401);
      expect(anonymous.body.error.code).to.equal('UNAUTHORIZED');
      const customer = await f.api.post('/admin/categories', body, { token: f.customerToken });
      expect(customer.status).to.equal(403);
      expect(customer.body.error.code).to.equal('FORBIDDEN');
      const [header, payload] = f.admin.token.split('.');
      const forged = await f.api.post('/admin/categories', body, { token: `${header}.${payload}.c2lnbmF0dXJl` });
      expect(forged.status).to.equal(401);
    });
  });

  describe('GET /categories', () => {
    it('when categories exist, then anyone gets the tree with depths and children', async () => {
      const root = await f.createCategory({ name: uniqueName('Tree') });
      const child = await f.createCategory({ parentCategoryId: root.id, name: `B ${uniqueName()}` });
      const otherChild = await f.createCategory({ parentCategoryId: root.id, name: `A ${uniqueName()}` });
      const grandchild = await f.createCategory({ parentCategoryId: child.id });

      const response = await f.api.get('/categories');
      expect(response.status).to.equal(200);
      const node = response.body.items.find((n: { id: string }) => n.id === root.id);
      expect(node).to.deep.equal({
        id: root.id,
        name: root.name,
        parentCategoryId: null,
        depth: 1,
        children: [
          { id: otherChild.id, name: otherChild.name, parentCategoryId: root.id, depth: 2, children: [] },
          {
            id: child.id,
            name: child.name,
            parentCategoryId: root.id,
            depth: 2,
            children: [{ id: grandchild.id, name: grandchild.name, parentCategoryId: child.id, depth: 3, children: [] }],
          },
        ],
      });
      expect(response.body.items.every((n: { depth: number }) => n.depth === 1)).to.equal(true);
    });
  });
});
