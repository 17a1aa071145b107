# Makes the keystore files in this directory with Python's eth-account (run once; see README.md).
import json
from eth_account import Account

CASES = [
    # file, private key, password, kdf, iterations (n for scrypt, c for pbkdf2)
    ("scrypt-light.json", "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", "foo", "scrypt", 4096),
    ("scrypt-light-unicode.json", "0x" + "11" * 32, "p\u00e4ssw\u00f6rd \U0001f511", "scrypt", 4096),
    ("pbkdf2.json", "0x6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3", "correct horse battery staple", "pbkdf2", 10240),
    ("pbkdf2-empty-password.json", "0x" + "7f" * 32, "", "pbkdf2", 4096),
]

for file, key, password, kdf, iterations in CASES:
    keystore = Account.encrypt(key, password, kdf=kdf, iterations=iterations)
    assert Account.decrypt(keystore, password).hex().removeprefix("0x") == key[2:]
    with open(file, "w") as f:
        json.dump(keystore, f, indent=2)
        f.write("\n")
    print(file, Account.from_key(key).address)
