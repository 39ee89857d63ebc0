import { sharedShop } from '../e2e/shop.fixture';
import { attackContext, ATTACKER_ADDRESS, type AttackContext } from './attack-context';
import { earlierFindings } from './findings';
import { FUZZ_RUNS_PER_OPERATION, fuzzEveryOperation } from './fuzz';
import { idorAttacks } from './idor';
import { writeAttackReport } from './ledger';
import { perimeterAttacks } from './perimeter';
import { tokenAttacks } from './tokens';
import { webhookAttacks } from './webhooks';

/**
 * The security suite: the whole shop attacked through its gateway as an outsider would. Every
 * attack counts what it sent in one report, printed at the end and written to
 * docs/reliability/attack.md.
 */
describe('security: the shop under attack, through the gateway', function () {
  this.timeout(120_000);
  const context = {} as AttackContext;
  before(async () => {
    Object.assign(context, await attackContext(await sharedShop()));
  });
  after(() => {
    if (!context.ledger) return;
    context.close();
    process.stdout.write(`\nattack report\n${context.ledger.table()}\n\n`);
    writeAttackReport(context.ledger, [
      `fuzzing: every operation of the OpenAPI document, ${FUZZ_RUNS_PER_OPERATION} requests each generated from its schemas by fast-check (random seed per run)`,
      `attacks come from ${ATTACKER_ADDRESS} (the login flood from an address of its own), so per-IP limits count them apart from other clients`,
    ]);
  });

  fuzzEveryOperation(context);
  idorAttacks(context);
  tokenAttacks(context);
  webhookAttacks(context);
  perimeterAttacks(context);
  earlierFindings(context);
});
