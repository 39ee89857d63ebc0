/**
 * The demo catalog `npm start` loads into an empty shop: a three-level category tree and a few
 * dozen products (some with sizes or colours, some low on stock, some sold out), created through
 * the gateway's admin API like an operator would, so stock and events flow as in production.
 */

interface DemoProduct {
  name: string;
  description: string;
  price: number;
  variants?: string[];
  stock: number;
}

type Tree = Record<string, Record<string, Record<string, DemoProduct[]>>>;

const sizes = ['S', 'M', 'L', 'XL'];
const p = (name: string, price: number, stock: number, description: string, variants?: string[]): DemoProduct => ({ name, price, stock, description, variants });

/** Prices in cents. Stock: 0 is sold out, 1-5 is low (the default threshold is 5). Category names are unique. */
const tree: Tree = {
  Clothing: {
    Men: {
      'T-Shirts': [
        p('Organic Cotton Crew Tee', 2499, 60, 'Soft, breathable crew-neck tee in GOTS-certified organic cotton.', sizes),
        p('Heavyweight Pocket Tee', 2999, 4, 'A boxy 240 gsm tee with a chest pocket that keeps its shape wash after wash.', sizes),
        p('Merino Travel Tee', 5900, 25, 'Odour-resistant merino wool tee for long days on the road.', sizes),
        p('Striped Breton Tee', 3499, 0, 'The classic navy-and-white stripe, knitted in heavy cotton.', sizes),
      ],
      Jeans: [
        p('Slim Selvedge Jeans', 8900, 30, '13.5 oz Japanese selvedge denim with a slim, tapered leg.', ['30/32', '32/32', '34/32', '36/34']),
        p('Relaxed Carpenter Jeans', 7900, 12, 'Roomy workwear jeans with a hammer loop and utility pockets.', ['30/32', '32/32', '34/32']),
        p('Black Stretch Jeans', 6900, 3, 'Jet-black stretch denim that stays dark.', ['30/32', '32/32', '34/32']),
      ],
    },
    Women: {
      Dresses: [
        p('Linen Wrap Dress', 8900, 18, 'Washed European linen wrap dress with a tie waist.', ['XS', 'S', 'M', 'L']),
        p('Knit Midi Dress', 9900, 9, 'Ribbed knit midi dress with a mock neck.', ['XS', 'S', 'M', 'L']),
        p('Floral Sundress', 5900, 0, 'Lightweight cotton sundress with a floral print and pockets.', ['S', 'M', 'L']),
      ],
      Tops: [
        p('Silk Camisole', 4900, 22, 'Mulberry silk camisole with adjustable straps.', ['XS', 'S', 'M', 'L']),
        p('Oversized Oxford Shirt', 5500, 40, 'Crisp cotton oxford cut loose, to wear open or tucked.', ['XS', 'S', 'M', 'L']),
        p('Cashmere Crewneck', 12900, 5, 'Two-ply Mongolian cashmere sweater.', ['S', 'M', 'L']),
        p('Rib Tank Top', 1900, 75, 'Everyday rib-knit tank in stretch cotton.', ['XS', 'S', 'M', 'L']),
      ],
    },
    Accessories: {
      Hats: [
        p('Wool Beanie', 2900, 50, 'Chunky-knit wool beanie with a turn-up cuff.', ['Charcoal', 'Navy', 'Rust']),
        p('Canvas Baseball Cap', 2500, 2, 'Washed canvas cap with a brass buckle.', ['Khaki', 'Black']),
        p('Packable Bucket Hat', 3200, 14, 'Water-repellent nylon bucket hat that folds into a pocket.'),
      ],
      Bags: [
        p('Waxed Canvas Tote', 6900, 16, 'Waxed cotton canvas tote with leather handles.'),
        p('Roll-Top Backpack', 11900, 7, 'Waterproof 20 L roll-top backpack with a padded laptop sleeve.'),
        p('Leather Card Holder', 3500, 0, 'Vegetable-tanned leather card holder with four slots.', ['Tan', 'Black']),
      ],
    },
  },
  Electronics: {
    Audio: {
      Headphones: [
        p('Wireless Noise-Cancelling Headphones', 29900, 25, 'Over-ear headphones with adaptive noise cancelling and 30-hour battery life.', ['Black', 'Silver']),
        p('Studio Monitor Headphones', 14900, 11, 'Closed-back headphones tuned flat for mixing and monitoring.'),
        p('True Wireless Earbuds', 12900, 4, 'Compact earbuds with wireless charging case.', ['Black', 'White']),
        p('Kids Volume-Limited Headphones', 3900, 0, 'Headphones that cap volume at 85 dB, in bendable plastic.', ['Blue', 'Pink']),
      ],
      Speakers: [
        p('Portable Bluetooth Speaker', 7900, 45, 'Waterproof speaker with 12 hours of play and a carry strap.', ['Black', 'Teal']),
        p('Bookshelf Speakers (Pair)', 34900, 6, 'Powered bookshelf speakers with optical and phono inputs.'),
        p('Smart Home Speaker', 9900, 30, 'Room-filling sound and a built-in voice assistant.'),
      ],
    },
    Computers: {
      Laptops: [
        p('13-inch Ultrabook', 109900, 8, 'A 1.1 kg aluminium laptop with 16 GB of memory and an all-day battery.', ['256 GB', '512 GB', '1 TB']),
        p('15-inch Creator Laptop', 189900, 3, 'Colour-accurate OLED display and a discrete GPU for editing.', ['512 GB', '1 TB']),
        p('Chromebook 14', 34900, 20, 'Fast-booting 14-inch Chromebook for school and work.'),
      ],
      Keyboards: [
        p('Mechanical Keyboard TKL', 12900, 35, 'Tenkeyless mechanical keyboard with hot-swappable switches.', ['Linear', 'Tactile', 'Clicky']),
        p('Low-Profile Wireless Keyboard', 7900, 0, 'Slim keyboard that pairs with three devices.'),
        p('Ergonomic Split Keyboard', 19900, 5, 'Split, tented layout that keeps wrists straight.'),
      ],
      'Computer Accessories': [
        p('USB-C Hub 7-in-1', 4900, 80, 'HDMI, USB-A, SD and 100 W pass-through charging in one hub.'),
        p('Wireless Mouse', 2900, 55, 'Quiet-click wireless mouse with a two-year battery.', ['Graphite', 'White']),
        p('Laptop Stand', 3900, 2, 'Folding aluminium stand that lifts the screen to eye level.'),
      ],
    },
    Phones: {
      Cases: [
        p('Clear Phone Case', 1900, 100, 'Slim clear case with raised edges and drop protection.', ['6.1-inch', '6.7-inch']),
        p('Leather Folio Case', 4900, 9, 'Full-grain leather folio with a card pocket.', ['6.1-inch', '6.7-inch']),
      ],
      Chargers: [
        p('65 W USB-C Charger', 3900, 60, 'Compact GaN charger that fills a laptop and a phone at once.'),
        p('Wireless Charging Pad', 2900, 4, 'Qi charging pad with a non-slip top.'),
        p('Braided USB-C Cable 2 m', 1500, 0, 'Nylon-braided cable rated for 100 W and 20,000 bends.'),
      ],
    },
  },
  'Home & Kitchen': {
    Kitchen: {
      Cookware: [
        p('Cast Iron Skillet 26 cm', 4500, 28, 'Pre-seasoned cast iron that goes from stovetop to oven.'),
        p('Stainless Steel Saucepan', 5900, 13, 'Tri-ply saucepan with a glass lid, induction-ready.', ['1.5 L', '3 L']),
        p('Nonstick Frying Pan Set', 6900, 3, 'Two PFAS-free ceramic nonstick pans, 20 and 28 cm.'),
        p('Dutch Oven 5.5 L', 9900, 0, 'Enamelled cast iron Dutch oven for braises and bread.', ['Cherry', 'Slate']),
      ],
      Coffee: [
        p('Pour-Over Coffee Set', 4900, 24, 'Ceramic dripper, glass carafe and 100 filters.'),
        p('Burr Coffee Grinder', 12900, 7, 'Conical burr grinder with 40 grind settings.'),
        p('Espresso Machine', 44900, 2, 'Dual-boiler espresso machine with a PID temperature control.'),
        p('Single-Origin Coffee Beans 1 kg', 2900, 90, 'Washed Ethiopian beans roasted light, notes of jasmine and citrus.', ['Whole bean', 'Ground']),
      ],
    },
    Decor: {
      Lighting: [
        p('Ceramic Table Lamp', 7900, 15, 'Hand-glazed ceramic base with a linen shade.', ['Sand', 'Sage']),
        p('Brass Floor Lamp', 18900, 4, 'Slim brass floor lamp with a dimmable bulb.'),
        p('Paper Pendant Shade', 3900, 33, 'Rice-paper pendant shade in the classic globe form.'),
      ],
      Textiles: [
        p('Linen Throw Blanket', 6900, 21, 'Stonewashed linen throw, 130 x 180 cm.', ['Natural', 'Rust', 'Charcoal']),
        p('Wool Rug 160 x 230', 24900, 0, 'Hand-tufted New Zealand wool rug.'),
        p('Velvet Cushion Cover', 2500, 48, 'Cotton velvet cover with a hidden zip, 50 x 50 cm.', ['Ochre', 'Emerald', 'Navy']),
      ],
    },
  },
};

/** The few fields the seeding reads from the answers it gets. */
interface AdminAnswer {
  items: unknown[];
  accessToken: string;
  id: string;
}

export interface SeedResult {
  seeded: boolean;
  categories: number;
  products: number;
}

/** How long the seeding keeps retrying an answer of 503 (a service still starting, a breaker not yet closed again). */
const UNAVAILABLE_PATIENCE_MS = 60_000;

/**
 * Loads the demo catalog through the gateway unless the shop already has categories. Every process
 * being ready does not make each path through the gateway usable at once: a breaker that opened on
 * calls refused while a service was starting stays open for a while. A 503 is therefore tried
 * again after its Retry-After, for up to a minute (the gateway answers 503 when it could not reach
 * the service or its breaker is open; a service, when a dependency failed and it wrote nothing).
 */
export async function seedDemoCatalog(
  apiBase: string,
  admin: { email: string; password: string },
  patienceMs = UNAVAILABLE_PATIENCE_MS,
): Promise<SeedResult> {
  const call = async (method: string, path: string, body?: unknown, token?: string): Promise<AdminAnswer> => {
    const deadline = Date.now() + patienceMs;
    for (;;) {
      const response = await fetch(`${apiBase}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await response.json().catch(() => undefined)) as AdminAnswer;
      if (response.ok) return json;
      const waitMs = 1000 * Math.min(Number(response.headers.get('retry-after')) || 1, 5);
      if (response.status !== 503 || Date.now() + waitMs > deadline) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json)}`);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  };

  const existing = await call('GET', '/categories');
  if (existing.items.length > 0) return { seeded: false, categories: 0, products: 0 };
  const { accessToken } = await call('POST', '/auth/login', admin);
  const createCategory = async (name: string, parentCategoryId?: string): Promise<string> =>
    (await call('POST', '/admin/categories', { name, ...(parentCategoryId && { parentCategoryId }) }, accessToken)).id;

  let categories = 0;
  let products = 0;
  for (const [rootName, children] of Object.entries(tree)) {
    const rootId = await createCategory(rootName);
    categories += 1;
    for (const [childName, leaves] of Object.entries(children)) {
      const childId = await createCategory(childName, rootId);
      categories += 1;
      for (const [leafName, items] of Object.entries(leaves)) {
        const leafId = await createCategory(leafName, childId);
        categories += 1;
        for (const item of items) {
          await call(
            'POST',
            '/admin/products',
            {
              name: item.name,
              description: item.description,
              price: { amount: item.price, currency: 'USD' },
              categoryId: leafId,
              status: 'active',
              initialStock: item.stock,
              ...(item.variants && { variants: item.variants.map((variant) => ({ sku: skuOf(item.name, variant), name: variant })) }),
            },
            accessToken,
          );
          products += 1;
        }
      }
    }
  }
  return { seeded: true, categories, products };
}

function skuOf(product: string, variant: string): string {
  const part = (text: string) => text.toUpperCase().replace(/[^A-Z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `${part(product).slice(0, 24)}-${part(variant)}`;
}
