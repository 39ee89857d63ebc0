import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { unwrap } from '../api/client';
import { fieldErrors } from '../api/errors';
import { ErrorMessage, Field, Loading } from '../components/ui';
import { useShop } from '../shop';

type Node = { id: string; name: string; depth: number; children: Node[] };

function useTree() {
  const { api } = useShop();
  return useQuery({ queryKey: ['categories'], queryFn: () => unwrap(api.GET('/categories')) });
}

/** Every category as an option, indented by its depth. */
export function useCategoryOptions(): Array<{ id: string; label: string; depth: number }> {
  const tree = useTree();
  const options: Array<{ id: string; label: string; depth: number }> = [];
  const walk = (nodes: Node[]) =>
    nodes.forEach((n) => {
      options.push({ id: n.id, label: `${'— '.repeat(n.depth - 1)}${n.name}`, depth: n.depth });
      walk(n.children);
    });
  walk((tree.data?.items ?? []) as Node[]);
  return options;
}

function Tree({ nodes }: { nodes: Node[] }) {
  return (
    <ul>
      {nodes.map((n) => (
        <li key={n.id}>
          {n.name}
          {n.children.length > 0 && <Tree nodes={n.children} />}
        </li>
      ))}
    </ul>
  );
}

/** The category tree, and a new category at the top or under a parent (at most three levels). */
export function Categories() {
  const { api } = useShop();
  const client = useQueryClient();
  const tree = useTree();
  const options = useCategoryOptions();
  const [name, setName] = useState('');
  const [parent, setParent] = useState('');
  const add = useMutation({
    mutationFn: () => unwrap(api.POST('/admin/categories', { body: { name, ...(parent && { parentCategoryId: parent }) } })),
    onSuccess: () => {
      setName('');
      void client.invalidateQueries({ queryKey: ['categories'] });
    },
  });
  const errors = fieldErrors(add.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <section aria-labelledby="categories-title">
      <h1 id="categories-title">Categories</h1>
      {tree.isPending && <Loading what="categories" />}
      <ErrorMessage error={tree.error} />
      {tree.data?.items.length === 0 && <p>No categories yet.</p>}
      {tree.data && <Tree nodes={tree.data.items as Node[]} />}
      <h2>Add a category</h2>
      <form onSubmit={submit} className="narrow">
        <Field label="Category name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} required />
        <div className="field">
          <label htmlFor="parent">Parent</label>
          <select id="parent" value={parent} onChange={(e) => setParent(e.target.value)}>
            <option value="">None (top level)</option>
            {options
              .filter((o) => o.depth < 3)
              .map((o) => (
                <option key={o.id} value={o.id}>
                  {o.label}
                </option>
              ))}
          </select>
        </div>
        {add.error && Object.keys(errors).length === 0 && <ErrorMessage error={add.error} />}
        <button type="submit" disabled={add.isPending}>
          Add category
        </button>
      </form>
    </section>
  );
}
