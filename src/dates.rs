//! Calendar arithmetic on plain numbers: leap years, month lengths, the day of the year
//! and a count of days as a civil date. A leaf: the date type (`IsoDate`) and the pages
//! use these; this module uses nothing of the crate.
//!
//! Hand-written: the dependency tree has no date crate that exposes these (`httpdate`,
//! under hyper, formats a time for HTTP headers only), and they are a few lines each.

/// The Gregorian rule: every fourth year, but not whole centuries unless divisible by 400.
pub fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Days in `month` (1–12) of `year`.
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days in `year`: 365 or 366.
pub fn days_in_year(year: u16) -> u16 {
    if is_leap_year(year) { 366 } else { 365 }
}

/// Days before day `day` (1–31) of `month` (1–12) in `year`: 0 for 1 January, 59 for
/// 1 March of a common year, 60 of a leap year.
pub fn day_of_year(year: u16, month: u8, day: u8) -> u16 {
    let before_month: u16 = (1..month).map(|m| u16::from(days_in_month(year, m))).sum();
    (before_month + u16::from(day)).saturating_sub(1)
}

/// Days since 1970-01-01 as (year, month, day), by Howard Hinnant's `civil_from_days`.
pub fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Both are in range by construction: day 1–31, month 1–12.
    (year, month as u8, day as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(is_leap_year(2012));
        assert!(is_leap_year(2000));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2013));
        assert_eq!(days_in_month(2012, 2), 29);
        assert_eq!(days_in_month(2013, 2), 28);
        assert_eq!(days_in_month(2013, 4), 30);
        assert_eq!(days_in_month(2013, 12), 31);
        assert_eq!(days_in_year(2012), 366);
        assert_eq!(days_in_year(2100), 365);
    }

    #[test]
    fn days_of_the_year_count_from_zero() {
        assert_eq!(day_of_year(2013, 1, 1), 0);
        assert_eq!(day_of_year(2013, 3, 1), 59);
        assert_eq!(day_of_year(2012, 3, 1), 60);
        assert_eq!(day_of_year(2012, 12, 31), 365);
        assert_eq!(day_of_year(2009, 7, 2), 182);
    }

    #[test]
    fn days_since_1970_are_civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_784), (2026, 11, 27));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        // 2000-02-29 and the day after: a leap day of a century divisible by 400.
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(11_017), (2000, 3, 1));
    }

    /// Counting days one by one with the month lengths gives the same dates.
    #[test]
    fn civil_dates_agree_with_the_month_lengths() {
        let (mut year, mut month, mut day) = (1970_u16, 1_u8, 1_u8);
        for days in 0..(200 * 366) {
            assert_eq!(
                civil_from_days(days),
                (i64::from(year), month, day),
                "day {days}"
            );
            day += 1;
            if day > days_in_month(year, month) {
                day = 1;
                month += 1;
                if month > 12 {
                    month = 1;
                    year += 1;
                }
            }
        }
    }
}
