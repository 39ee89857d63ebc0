// root hooks are filled in by the testkit
