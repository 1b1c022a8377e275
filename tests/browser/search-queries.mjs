// The citizen queries of issue 19: what a reader of the agreement types, and the clause
// (or stycke, or point) a reader expects among the first three hits, chosen from
// content/overenskommelse/2013.md. The browser suite checks every one (suite.test.mjs,
// "search"); search-bytes.mjs measures what each downloads.

const v2013 = "overenskommelse/2013/";
// The version that applies by the sources (Site::in_force): its hits come first among
// equals, so a word both versions have leads to 2009.
const v2009 = "overenskommelse/2009/";

/** { kind, query, expect: "page#anchor" }: a hit at that anchor, or inside it (`#P9`
 *  takes `#P9S1` and `#P9S1N2`), must be among the first three. */
export const citizenQueries = [
  // Headings of clauses.
  { kind: "rubrik", query: "giltighetstid", expect: `${v2013}#P9` },
  { kind: "rubrik", query: "insatsområde", expect: `${v2013}#P5` },
  { kind: "rubrik", query: "målgrupp", expect: `${v2013}#P1` },
  { kind: "rubrik", query: "uppföljningsansvar", expect: `${v2013}#P8` },
  { kind: "rubrik", query: "organisation av arbetet", expect: `${v2013}#P6` },
  { kind: "rubrik", query: "särskilda avtal", expect: `${v2013}#P7` },
  { kind: "rubrik", query: "undertecknande", expect: `${v2013}#P11` },
  // References to clauses and their parts.
  { kind: "hänvisning", query: "§ 9", expect: `${v2013}#P9` },
  { kind: "hänvisning", query: "9 §", expect: `${v2013}#P9` },
  { kind: "hänvisning", query: "paragraf 9", expect: `${v2013}#P9` },
  { kind: "hänvisning", query: "p. 9", expect: `${v2013}#P9` },
  { kind: "hänvisning", query: "§ 5 punkt 7", expect: `${v2013}#P5S2N7` },
  { kind: "hänvisning", query: "5 § 2 st.", expect: `${v2013}#P5S2` },
  { kind: "hänvisning", query: "§ 6 tredje stycket", expect: `${v2013}#P6S3` },
  // Inflected forms.
  { kind: "böjning", query: "skolan", expect: `${v2009}#P1` },
  { kind: "böjning", query: "skolor", expect: `${v2013}#P5` },
  { kind: "böjning", query: "styrgrupper", expect: `${v2013}#P6` },
  { kind: "böjning", query: "säga upp", expect: `${v2013}#P9` },
  { kind: "böjning", query: "självförsörjning", expect: `${v2009}#utgangspunkter` },
  { kind: "böjning", query: "ersättningar", expect: `${v2013}#P5` },
  { kind: "böjning", query: "uppsägning", expect: `${v2013}#P9` },
  { kind: "böjning", query: "bostäder", expect: `${v2013}#P5` },
  // Parts of compounds.
  { kind: "sammansättning", query: "modersmål", expect: `${v2013}#P5` },
  { kind: "sammansättning", query: "hälsa", expect: `${v2013}#P5` },
  { kind: "sammansättning", query: "språk", expect: `${v2013}#P5` },
  { kind: "sammansättning", query: "kommunikatörer", expect: `${v2013}#P5` },
  // Typed without å, ä and ö.
  { kind: "utan å, ä, ö", query: "sjalvforsorjning", expect: `${v2009}#utgangspunkter` },
  { kind: "utan å, ä, ö", query: "malgrupp", expect: `${v2013}#P1` },
  { kind: "utan å, ä, ö", query: "insatsomrade", expect: `${v2013}#P5` },
  { kind: "utan å, ä, ö", query: "halsofragor", expect: `${v2013}#P5` },
  { kind: "utan å, ä, ö", query: "overenskommelsens parter", expect: `${v2013}#P10` },
  { kind: "utan å, ä, ö", query: "sarskilda avtal", expect: `${v2013}#P7` },
  // Questions typed as sentences.
  { kind: "fråga", query: "vad händer om en kommun säger upp avtalet", expect: `${v2013}#P9` },
  { kind: "fråga", query: "hur länge gäller överenskommelsen", expect: `${v2013}#P9` },
  { kind: "fråga", query: "vem leder arbetet", expect: `${v2013}#P6` },
  { kind: "fråga", query: "ensamkommande barn", expect: `${v2013}#P1` },
];

/** Whether a hit's link (relative to the search page) is at `expect` or inside it. */
export function hitIs(href, expect) {
  const [page, anchor = ""] = href.replace(/^(\.\.\/)+/, "").split("#");
  const [expectedPage, expectedAnchor] = expect.split("#");
  return page === expectedPage &&
    (anchor === expectedAnchor || anchor.startsWith(`${expectedAnchor}S`) || anchor.startsWith(`${expectedAnchor}N`));
}
