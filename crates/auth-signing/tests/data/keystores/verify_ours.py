# Checks that eth-account opens the keystores this crate wrote (see README.md).
import json
from eth_account import Account
for path, password, key in [
    ("ours-scrypt-light.json", "ours", "01" * 32),
    ("ours-pbkdf2.json", "ours too", "02" * 32),
]:
    with open(path) as f:
        keystore = json.load(f)
    assert Account.decrypt(keystore, password).hex().removeprefix("0x") == key, path
    try:
        Account.decrypt(keystore, password + "x")
        raise SystemExit("wrong password accepted")
    except ValueError:
        pass
    print("eth-account opens", path)
