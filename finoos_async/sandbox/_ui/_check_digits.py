"""Check digits for the identifiers the generated bank data carries.

IBANs and SEPA creditor identifiers use ISO 7064 MOD 97-10; ISINs use the Luhn
algorithm. The generator computes them so that generated data passes the same
checks a real application runs on real data.
"""

from __future__ import annotations

__all__ = ["creditor_id", "german_iban", "iban_is_valid", "isin_is_valid"]


def _letters_to_digits(text: str) -> str:
    # A → 10, B → 11, … Z → 35, as both ISO 7064 users and ISIN specify.
    return "".join(str(int(char, 36)) for char in text)


def _mod97_check(body: str, country: str) -> str:
    remainder = int(_letters_to_digits(body + country + "00")) % 97
    return f"{98 - remainder:02d}"


def german_iban(bank_code: str, account_number: str) -> str:
    """The German IBAN of a bank code (8 digits) and an account number (up to 10).

    Example::

        >>> german_iban("10020000", "7791587578")
        'DE65100200007791587578'
    """
    if len(bank_code) != 8 or not bank_code.isdigit():
        raise ValueError(f"a German bank code has 8 digits, got {bank_code!r}")
    if not account_number.isdigit() or len(account_number) > 10:
        raise ValueError(f"a German account number has up to 10 digits, got {account_number!r}")
    bban = bank_code + account_number.zfill(10)
    return f"DE{_mod97_check(bban, 'DE')}{bban}"


def iban_is_valid(iban: str) -> bool:
    """Whether ``iban`` (no spaces) passes the ISO 13616 mod-97 check."""
    if len(iban) < 5 or not iban.isalnum() or not iban[:2].isalpha():
        return False
    rearranged = iban[4:] + iban[:4]
    return int(_letters_to_digits(rearranged.upper())) % 97 == 1


def creditor_id(national_id: str, country: str = "DE", business_code: str = "ZZZ") -> str:
    """A SEPA creditor identifier; its check digits skip the business code.

    Example::

        >>> creditor_id("09999999999")
        'DE98ZZZ09999999999'
    """
    return f"{country}{_mod97_check(national_id, country)}{business_code}{national_id}"


def isin_is_valid(isin: str) -> bool:
    """Whether ``isin`` has 12 characters and a correct Luhn check digit."""
    if len(isin) != 12 or not isin.isalnum() or not isin[-1].isdigit():
        return False
    digits = _letters_to_digits(isin[:-1].upper())
    total = 0
    # Luhn: double every second digit, starting with the rightmost of the payload.
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10 == int(isin[-1])
