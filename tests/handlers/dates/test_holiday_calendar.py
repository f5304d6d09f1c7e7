"""The maintained `holidays` calendar and Bryggan's days off agree, 2020-2040.

Written against the hand-computed calendar before Bryggan switched to the package, and kept:
it pins that the days off Bryggan plans around (röda dagar plus julafton, midsommarafton and
nyårsafton) are exactly Sweden's public and de facto holidays, with Sundays left out.
"""

from __future__ import annotations

import pytest
from holidays.constants import DE_FACTO, PUBLIC
from holidays.countries.sweden import Sweden

from handlers.dates.holidays import swedish_holidays


@pytest.mark.parametrize("year", range(2020, 2041))
def test_package_and_bryggan_name_the_same_days_off(year: int) -> None:
    package = Sweden(
        years=year, categories=(PUBLIC, DE_FACTO), include_sundays=False, language="sv"
    )
    ours = swedish_holidays(year)
    assert sorted(package) == sorted(ours)
    for day in ours:
        package_names = {name.lower() for name in package.get_list(day)}
        our_names = {name.lower() for name in ours[day].split(" och ")}
        assert package_names == our_names, day
