import { AppError } from '@shop/platform';

/** A root category has depth 1; INV-CAT: no deeper than three levels. */
export const MAX_CATEGORY_DEPTH = 3;

/** The Category aggregate (seed EVT-CAT-001): `path` lists its ancestors' ids and its own, root first. */
export interface Category {
  id: string;
  name: string;
  parentCategoryId: string | null;
  depth: number;
  path: string[];
  createdAt: Date;
}

export interface CategoryNode {
  id: string;
  name: string;
  parentCategoryId: string | null;
  depth: number;
  children: CategoryNode[];
}

export const CATEGORY_NAME_MAX = 100;

/** A category name: trimmed, 1-100 characters. */
export function toCategoryName(raw: string): string {
  const name = raw.trim();
  const length = name.length;
  if (length < 1 || length > CATEGORY_NAME_MAX) {
    throw new AppError('VALIDATION_ERROR', `the name must be 1-${CATEGORY_NAME_MAX} characters`, {
      fields: [{ field: 'name', message: `must be 1-${CATEGORY_NAME_MAX} characters` }],
    });
  }
  return name;
}

/** Depth and path of a new category under `parent` (none: a root); too deep is MAX_DEPTH_EXCEEDED. */
export function placeUnder(parent: Pick<Category, 'id' | 'depth' | 'path'> | undefined, id: string): { depth: number; path: string[] } {
  const depth = parent ? parent.depth + 1 : 1;
  if (depth > MAX_CATEGORY_DEPTH) {
    throw new AppError('MAX_DEPTH_EXCEEDED', `categories nest at most ${MAX_CATEGORY_DEPTH} levels deep`, { maxDepth: MAX_CATEGORY_DEPTH });
  }
  return { depth, path: [...(parent?.path ?? []), id] };
}

/** Categories (any order) as a tree: roots first, siblings by name. */
export function toCategoryTree(categories: Category[]): CategoryNode[] {
  const nodes = new Map<string, CategoryNode>();
  for (const c of categories) nodes.set(c.id, { id: c.id, name: c.name, parentCategoryId: c.parentCategoryId, depth: c.depth, children: [] });
  const roots: CategoryNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentCategoryId ? nodes.get(node.parentCategoryId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const byName = (a: CategoryNode, b: CategoryNode) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id.localeCompare(b.id);
  const sortAll = (list: CategoryNode[]) => {
    list.sort(byName);
    for (const node of list) sortAll(node.children);
  };
  sortAll(roots);
  return roots;
}
