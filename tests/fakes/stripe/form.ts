// Stripe's form encoding: `line_items[0][price]=p&metadata[k]=v&expand[]=x` into nested objects/arrays.
export type FormValue = string | FormValue[] | { [key: string]: FormValue };

export function parseStripeForm(params: URLSearchParams): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [rawKey, value] of params) {
    const [head, ...rest] = rawKey.replace(/\]/g, '').split('[');
    let node: Record<string, FormValue> | FormValue[] = root;
    const path = [head!, ...rest];
    path.forEach((segment, i) => {
      const last = i === path.length - 1;
      const key = segment === '' && Array.isArray(node) ? String(node.length) : segment;
      const container = node as Record<string, FormValue>;
      if (last) {
        container[key] = value;
        return;
      }
      const nextIsIndex = /^\d*$/.test(path[i + 1]!);
      container[key] ??= nextIsIndex ? [] : {};
      node = container[key] as Record<string, FormValue>;
    });
  }
  return root;
}
