// mocha's spec reporter plus one plain closing line ("mocha: N passed, N failed, N skipped")
// that any CI log reader understands.
const Spec = require('mocha/lib/reporters/spec');

class ShopReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const { passes, failures, pending } = this.stats;
      process.stdout.write(`mocha: ${passes} passed, ${failures} failed, ${pending} skipped\n`);
    });
  }
}

module.exports = ShopReporter;
