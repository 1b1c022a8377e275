//! Writes a deterministic synthetic corpus in avtal's content format, for benchmarks.
//!
//! ```sh
//! cargo run --release --example gen-corpus -- 10000 /tmp/corpus   # writes /tmp/corpus/content/
//! ```
//!
//! About a tenth of the files are versions of works (3–7 versions each), the rest related
//! documents and a few plain pages. From one version to the next, clauses stay, change a
//! few words, are removed, split in two, merged with the next one or joined by a new one,
//! and the numbering follows; most versions declare that lineage as editors do, some leave
//! it to the automatic proposal. Documents cite clauses and stycken with `@/` links and
//! link to earlier documents, so comparison pages, backlinks and the search index all have
//! work to do. Text is Swedish-like, 3–6 KB a file. The same count gives the same files.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (count, dir) = match args.as_slice() {
        [count, dir] => match count.parse::<usize>() {
            Ok(n) if n >= 10 => (n, PathBuf::from(dir)),
            _ => return usage("the count must be a whole number, at least 10"),
        },
        _ => return usage("give the number of files and a folder"),
    };
    let content = dir.join("content");
    if content.exists() {
        eprintln!(
            "error: {} already exists; remove it first (the corpus is written whole)",
            content.display()
        );
        return ExitCode::from(2);
    }
    let corpus = Corpus::generate(count);
    match corpus.write(&content) {
        Ok(bytes) => {
            eprintln!(
                "wrote {} files ({} versions of {} works, {} documents, {} pages), {:.1} MB, into {}",
                corpus.files.len(),
                corpus.version_count,
                corpus.works.len(),
                corpus.document_count,
                corpus.page_count,
                bytes as f64 / 1e6,
                content.display()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: cannot write {}: {err}", content.display());
            ExitCode::from(2)
        }
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("error: {problem}\nusage: gen-corpus COUNT DIR   (writes DIR/content/)");
    ExitCode::from(2)
}

/// splitmix64: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in `low..=high`.
    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const NOUNS: &[&str] = &[
    "kommunerna",
    "länet",
    "samverkan",
    "överenskommelsen",
    "parterna",
    "mottagandet",
    "nyanlända",
    "styrgruppen",
    "förvaltningen",
    "insatserna",
    "uppföljningen",
    "arbetet",
    "ansvaret",
    "samordningen",
    "utbildningen",
    "bosättningen",
    "etableringen",
    "myndigheterna",
    "kostnaderna",
    "ersättningen",
    "verksamheten",
    "målgruppen",
    "barnen",
    "ungdomarna",
    "hälsan",
    "arbetsmarknaden",
    "språket",
    "praktiken",
    "regionen",
    "nämnden",
    "beslutet",
    "avtalet",
    "underlaget",
    "redovisningen",
    "förslaget",
    "remissen",
    "yttrandet",
    "utredningen",
    "samhällsorienteringen",
    "vuxenutbildningen",
    "självförsörjningen",
    "boendet",
    "kommunförbundet",
    "styrelsen",
    "fullmäktige",
    "handläggningen",
    "tolkningen",
    "tjänsterna",
];

const VERBS: &[&str] = &[
    "ska",
    "bör",
    "kan",
    "samverkar",
    "ansvarar",
    "följer",
    "främjar",
    "stödjer",
    "beslutar",
    "redovisar",
    "utvecklar",
    "säkerställer",
    "underlättar",
    "prövar",
    "fördelar",
    "omfattar",
    "gäller",
    "anger",
    "bereder",
    "tillstyrker",
    "föreslår",
    "avser",
    "förändrar",
    "ersätter",
];

const LINKS: &[&str] = &[
    "och",
    "för",
    "med",
    "inom",
    "mellan",
    "genom",
    "under",
    "enligt",
    "till",
    "i",
    "av",
    "om",
    "vid",
    "efter",
    "samt",
    "utan",
    "så att",
    "i enlighet med",
    "när det gäller",
];

const ADJECTIVES: &[&str] = &[
    "gemensamma",
    "regionala",
    "lokala",
    "särskilda",
    "årliga",
    "effektiva",
    "långsiktiga",
    "delregionala",
    "kommunala",
    "statliga",
    "nya",
    "tidigare",
    "samlade",
    "ömsesidiga",
    "tydliga",
    "förändrade",
    "övriga",
    "berörda",
];

const TOPICS: &[(&str, &str)] = &[
    ("introduktion av nyanlända", "Introduktionsöverenskommelsen"),
    ("vuxenutbildning", "Vuxenutbildningsavtalet"),
    ("gymnasieantagning", "Antagningsavtalet"),
    ("färdtjänst", "Färdtjänstavtalet"),
    ("räddningstjänst", "Räddningstjänstavtalet"),
    ("hälso- och sjukvård i hemmet", "Hemsjukvårdsavtalet"),
    ("ensamkommande barn", "Mottagningsavtalet"),
    ("socialjour", "Socialjoursavtalet"),
    ("tolkförmedling", "Tolkavtalet"),
    ("avfallshantering", "Avfallsavtalet"),
    ("kollektivtrafik", "Trafikavtalet"),
    ("bibliotekssamverkan", "Biblioteksavtalet"),
];

const REGIONS: &[&str] = &[
    "Stockholms län",
    "Södertörn",
    "Norrort",
    "Västerort",
    "Roslagen",
    "Nordost",
    "Storstockholm",
];

const MUNICIPALITIES: &[&str] = &[
    "Botkyrka",
    "Danderyd",
    "Ekerö",
    "Haninge",
    "Huddinge",
    "Järfälla",
    "Lidingö",
    "Nacka",
    "Norrtälje",
    "Nykvarn",
    "Nynäshamn",
    "Salem",
    "Sigtuna",
    "Sollentuna",
    "Solna",
    "Stockholm",
    "Sundbyberg",
    "Södertälje",
    "Tyresö",
    "Täby",
    "Upplands Väsby",
    "Upplands-Bro",
    "Vallentuna",
    "Vaxholm",
    "Värmdö",
    "Österåker",
];

const BODIES: &[&str] = &[
    "kommunstyrelsen",
    "socialnämnden",
    "utbildningsnämnden",
    "kommunfullmäktige",
    "socialförvaltningen",
    "utbildningsförvaltningen",
    "stadsdelsförvaltningen",
    "arbetsmarknadsförvaltningen",
];

const CLAUSE_TITLES: &[&str] = &[
    "Målgrupp",
    "Syfte",
    "Mål",
    "Parter",
    "Omfattning",
    "Åtaganden",
    "Organisation",
    "Uppföljning",
    "Ekonomi",
    "Giltighetstid",
    "Uppsägning",
    "Tvister",
    "Samarbetsområden",
    "Ansvarsfördelning",
    "Ersättning",
    "Information",
    "Ändringar",
    "Utvärdering",
];

/// (front matter type, Swedish kind for titles and file names)
const DOCUMENT_TYPES: &[(&str, &str)] = &[
    ("remissvar", "remissvar"),
    ("tjänsteutlåtande", "tjansteutlatande"),
    ("beslut", "beslut"),
    ("skrivelse", "skrivelse"),
    ("protokoll", "protokoll"),
    ("annat", "pm"),
];

const NAMES: &[&str] = &[
    "Anna Lindqvist",
    "Erik Johansson",
    "Maria Karlsson",
    "Lars Nilsson",
    "Karin Eriksson",
    "Johan Andersson",
    "Eva Persson",
    "Per Svensson",
    "Sara Gustafsson",
    "Mikael Olsson",
    "Åsa Björk",
    "Göran Ström",
];

const ROLES: &[&str] = &[
    "Förvaltningschef",
    "Kommundirektör",
    "Kanslichef",
    "Ordförande",
    "Handläggare",
    "Nämndsekreterare",
];

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One sentence of 8–20 words, capitalized, with a full stop; now and then a quotation.
fn sentence(rng: &mut Rng) -> String {
    let length = rng.between(8, 20);
    let mut words: Vec<String> = Vec::with_capacity(length);
    while words.len() < length {
        match words.len() % 4 {
            0 => words.push(rng.pick(NOUNS).to_string()),
            1 => words.push(rng.pick(VERBS).to_string()),
            2 => words.push(rng.pick(ADJECTIVES).to_string()),
            _ => words.push(rng.pick(LINKS).to_string()),
        }
    }
    if rng.chance(0.08) {
        let n = words.len() / 2;
        words[n] = format!("”{}”", words[n]);
    }
    let mut text = capitalize(&words.join(" "));
    text.push('.');
    text
}

/// A paragraph of `low..=high` sentences.
fn paragraph_text(rng: &mut Rng, low: usize, high: usize) -> String {
    let sentences = rng.between(low, high);
    (0..sentences)
        .map(|_| sentence(rng))
        .collect::<Vec<_>>()
        .join(" ")
}

fn list_item(rng: &mut Rng) -> String {
    let words: Vec<&str> = (0..rng.between(3, 8))
        .map(|i| {
            if i % 2 == 0 {
                *rng.pick(NOUNS)
            } else {
                *rng.pick(ADJECTIVES)
            }
        })
        .collect();
    capitalize(&words.join(" "))
}

/// A stycke of a clause: its paragraph and the list that follows it, if any.
#[derive(Clone)]
struct Para {
    text: String,
    items: Vec<String>,
}

#[derive(Clone)]
struct ClauseText {
    /// `None` for the unnumbered opening clause (`## Utgångspunkter`).
    title: Option<String>,
    paras: Vec<Para>,
}

fn new_clause(rng: &mut Rng) -> ClauseText {
    let paras = (0..rng.between(1, 3))
        .map(|_| Para {
            text: paragraph_text(rng, 1, 3),
            items: if rng.chance(0.15) {
                (0..rng.between(2, 5)).map(|_| list_item(rng)).collect()
            } else {
                Vec::new()
            },
        })
        .collect();
    ClauseText {
        title: Some(rng.pick(CLAUSE_TITLES).to_string()),
        paras,
    }
}

/// A few words replaced, added or dropped, as an amendment does.
fn amend(rng: &mut Rng, clause: &mut ClauseText) {
    let edits = rng.between(1, 4);
    for _ in 0..edits {
        let index = rng.below(clause.paras.len());
        let para = &mut clause.paras[index];
        match rng.below(5) {
            0 => para.text.push_str(&format!(" {}", sentence(rng))),
            1 if !para.items.is_empty() => {
                let i = rng.below(para.items.len());
                para.items[i] = list_item(rng);
            }
            _ => {
                let mut words: Vec<String> = para.text.split(' ').map(str::to_string).collect();
                let at = rng.between(1, words.len().max(2) - 1).min(words.len() - 1);
                // Words that end a sentence or a quotation stay, so the text stays prose.
                if words[at].ends_with(['.', '”']) {
                    continue;
                }
                match rng.below(3) {
                    0 => words[at] = rng.pick(NOUNS).to_string(),
                    1 => words.insert(at, rng.pick(ADJECTIVES).to_string()),
                    _ if words.len() > 6 => {
                        words.remove(at);
                    }
                    _ => words[at] = rng.pick(VERBS).to_string(),
                }
                para.text = words.join(" ");
            }
        }
    }
    if rng.chance(0.1) {
        clause.paras.push(Para {
            text: paragraph_text(rng, 1, 2),
            items: Vec::new(),
        });
    }
}

/// How clause `from` of the earlier version continues: indexes into the later one's list.
struct Link {
    from: Vec<usize>,
    to: Vec<usize>,
    note: Option<String>,
}

/// The next version's clauses and the lineage from the previous one. Index 0 is always
/// the opening clause; the rest are numbered by position, so numbers shift.
fn evolve(rng: &mut Rng, old: &[ClauseText]) -> (Vec<ClauseText>, Vec<Link>) {
    let mut new: Vec<ClauseText> = Vec::new();
    let mut links: Vec<Link> = Vec::new();
    let mut opening = old[0].clone();
    if rng.chance(0.3) {
        amend(rng, &mut opening);
    }
    new.push(opening);
    links.push(Link {
        from: vec![0],
        to: vec![0],
        note: None,
    });
    let mut i = 1;
    while i < old.len() {
        let roll = rng.below(100);
        let mut clause = old[i].clone();
        if roll < 45 {
            new.push(clause);
            links.push(Link {
                from: vec![i],
                to: vec![new.len() - 1],
                note: None,
            });
        } else if roll < 75 {
            amend(rng, &mut clause);
            new.push(clause);
            links.push(Link {
                from: vec![i],
                to: vec![new.len() - 1],
                note: rng
                    .chance(0.3)
                    .then(|| format!("Ändrad lydelse. {}", sentence(rng))),
            });
        } else if roll < 81 && old.len() > 4 {
            links.push(Link {
                from: vec![i],
                to: Vec::new(),
                note: Some("Bestämmelsen har utgått.".into()),
            });
        } else if roll < 88 {
            // Split: the paragraphs (or, for one paragraph, a new one) go to two clauses.
            let second = if clause.paras.len() >= 2 {
                let at = clause.paras.len() / 2;
                clause.paras.split_off(at)
            } else {
                vec![Para {
                    text: paragraph_text(rng, 2, 2),
                    items: Vec::new(),
                }]
            };
            let title = rng.pick(CLAUSE_TITLES).to_string();
            new.push(clause);
            new.push(ClauseText {
                title: Some(title),
                paras: second,
            });
            links.push(Link {
                from: vec![i],
                to: vec![new.len() - 2, new.len() - 1],
                note: Some("Bestämmelsen har delats i två paragrafer.".into()),
            });
        } else if roll < 94 && i + 1 < old.len() {
            clause.paras.extend(old[i + 1].paras.iter().cloned());
            if rng.chance(0.5) {
                amend(rng, &mut clause);
            }
            new.push(clause);
            links.push(Link {
                from: vec![i, i + 1],
                to: vec![new.len() - 1],
                note: Some("Två paragrafer har slagits ihop.".into()),
            });
            i += 1;
        } else {
            new.push(clause);
            links.push(Link {
                from: vec![i],
                to: vec![new.len() - 1],
                note: None,
            });
            new.push(new_clause(rng));
            links.push(Link {
                from: Vec::new(),
                to: vec![new.len() - 1],
                note: Some("Ny paragraf.".into()),
            });
        }
        i += 1;
    }
    // Keep versions within 3–6 KB: long ones lose their last clause, short ones gain one.
    while size_of(&new) > 4_200 && new.len() > 5 {
        let last = new.len() - 1;
        new.pop();
        for link in &mut links {
            link.to.retain(|&t| t != last);
        }
        links.retain(|l| !l.from.is_empty() || !l.to.is_empty());
    }
    while size_of(&new) < 2_200 {
        new.push(new_clause(rng));
        links.push(Link {
            from: Vec::new(),
            to: vec![new.len() - 1],
            note: Some("Ny paragraf.".into()),
        });
    }
    (new, links)
}

fn size_of(clauses: &[ClauseText]) -> usize {
    clauses
        .iter()
        .flat_map(|c| &c.paras)
        .map(|p| p.text.len() + p.items.iter().map(|i| i.len() + 4).sum::<usize>())
        .sum()
}

fn clause_id(index: usize) -> String {
    if index == 0 {
        "utgangspunkter".into()
    } else {
        format!("P{index}")
    }
}

fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn ids_yaml(ids: &[usize]) -> String {
    let ids: Vec<String> = ids.iter().map(|&i| clause_id(i)).collect();
    format!("[{}]", ids.join(", "))
}

#[derive(Clone, Copy)]
struct Date {
    year: u32,
    month: u32,
    day: u32,
}

impl Date {
    fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    fn random_in(rng: &mut Rng, year: u32) -> Date {
        Date {
            year,
            month: rng.between(1, 12) as u32,
            day: rng.between(1, 28) as u32,
        }
    }
}

struct Version {
    id: String,
    date: Date,
    clauses: Vec<ClauseText>,
    /// Lineage from the previous version, if the editors declared it.
    declared: Option<Vec<Link>>,
}

struct WorkSpec {
    id: String,
    title: String,
    short_title: String,
    versions: Vec<Version>,
    /// The newest version is a proposal out for consultation; the one before is in force.
    newest_is_proposal: bool,
}

struct File {
    /// Relative to content/.
    path: String,
    text: String,
}

struct Corpus {
    works: Vec<WorkSpec>,
    files: Vec<File>,
    version_count: usize,
    document_count: usize,
    page_count: usize,
}

impl Corpus {
    fn generate(count: usize) -> Corpus {
        let mut rng = Rng(0x61_76_74_61_6c_2d_38);
        let page_count = (count / 1000).max(1);
        let version_target = (count / 10).max(3);
        let mut works: Vec<WorkSpec> = Vec::new();
        let mut version_count = 0;
        while version_count < version_target {
            let n = rng.between(3, 7).min(version_target - version_count).max(1);
            let work = generate_work(&mut rng, works.len() + 1, n);
            version_count += work.versions.len();
            works.push(work);
        }
        let document_count = count - version_count - page_count;
        let mut files: Vec<File> = Vec::new();
        files.push(File {
            path: "site.yaml".into(),
            text: site_yaml(&works),
        });
        for work in &works {
            for (position, version) in work.versions.iter().enumerate() {
                files.push(File {
                    path: format!("{}/{}.md", work.id, version.id),
                    text: version_file(&mut rng, work, position),
                });
            }
        }
        let mut documents: Vec<(String, Date)> = Vec::new();
        for n in 0..document_count {
            let (path, date, text) = document_file(&mut rng, &works, &documents, n);
            documents.push((path.clone(), date));
            files.push(File { path, text });
        }
        for n in 0..page_count {
            files.push(File {
                path: format!("sidor/sida-{n:03}.md"),
                text: plain_page(&mut rng, &works, n),
            });
        }
        Corpus {
            works,
            files,
            version_count,
            document_count,
            page_count,
        }
    }

    fn write(&self, content: &Path) -> std::io::Result<u64> {
        let mut bytes = 0;
        for file in &self.files {
            let path = content.join(&file.path);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(&path, &file.text)?;
            bytes += file.text.len() as u64;
        }
        Ok(bytes)
    }
}

fn generate_work(rng: &mut Rng, number: usize, version_count: usize) -> WorkSpec {
    let (topic, short) = *rng.pick(TOPICS);
    let region = *rng.pick(REGIONS);
    let mut year = rng.between(1995, 2010) as u32;
    let mut clauses = vec![ClauseText {
        title: None,
        paras: (0..rng.between(2, 3))
            .map(|_| Para {
                text: paragraph_text(rng, 2, 2),
                items: Vec::new(),
            })
            .collect(),
    }];
    for _ in 0..rng.between(6, 10) {
        clauses.push(new_clause(rng));
    }
    let mut versions = vec![Version {
        id: year.to_string(),
        date: Date::random_in(rng, year),
        clauses,
        declared: None,
    }];
    while versions.len() < version_count {
        year += rng.between(1, 3) as u32;
        let previous = versions.last().map(|v| &v.clauses).expect("one version");
        let (clauses, links) = evolve(rng, previous);
        // Most editors declare the lineage; about one version in five leaves it to
        // the automatic proposal.
        let declared = (!rng.chance(0.2)).then_some(links);
        versions.push(Version {
            id: year.to_string(),
            date: Date::random_in(rng, year),
            clauses,
            declared,
        });
    }
    WorkSpec {
        id: format!("avtal-{number:03}"),
        title: format!("Överenskommelse om {topic} i {region}"),
        short_title: format!("{short} {region}"),
        newest_is_proposal: version_count > 1 && rng.chance(0.15),
        versions,
    }
}

fn site_yaml(works: &[WorkSpec]) -> String {
    let mut out = String::from(
        "# Synthetic corpus written by examples/gen-corpus.rs for benchmarks.\n\
         title: \"Syntetisk korpus för prestandamätning\"\n\
         language: sv\n\
         base_url: \"https://example.se/korpus/\"\n\
         contact: \"webb@example.se\"\n\
         theme: default\n\
         description: \"Påhittade överenskommelser och dokument, skrivna för att mäta byggtiden.\"\n\
         works:\n",
    );
    for work in works {
        let _ = writeln!(
            out,
            "  - id: {}\n    title: {}\n    short_title: {}",
            work.id,
            yaml_string(&work.title),
            yaml_string(&work.short_title)
        );
    }
    out
}

fn provenance(rng: &mut Rng, body: &str, identifiers: &[String]) -> String {
    let ids: Vec<String> = identifiers.iter().map(|i| yaml_string(i)).collect();
    format!(
        "source:\n  file: {:03}_{:016x}.txt\n  body: {}\n  identifiers: [{}]\n  editorial: >-\n    {}\n",
        rng.below(1000),
        rng.next(),
        yaml_string(body),
        ids.join(", "),
        paragraph_text(rng, 2, 2)
    )
}

fn events_yaml(rng: &mut Rng, year: u32, max: usize) -> String {
    let n = rng.below(max + 1);
    if n == 0 {
        return "events: []\n".into();
    }
    let mut out = String::from("events:\n");
    for _ in 0..n {
        let _ = writeln!(
            out,
            "  - date: {}\n    text: {}",
            Date::random_in(rng, year).iso(),
            yaml_string(&sentence(rng))
        );
    }
    out
}

fn version_file(rng: &mut Rng, work: &WorkSpec, position: usize) -> String {
    let version = &work.versions[position];
    let last = position + 1 == work.versions.len();
    // The newest version is in force; now and then it is a proposal still out for
    // consultation, and the one before it is in force.
    let newest_is_proposal = work.newest_is_proposal;
    let status = if last {
        if newest_is_proposal {
            "förslag"
        } else {
            "gällande"
        }
    } else if newest_is_proposal && position + 2 == work.versions.len() {
        "gällande"
    } else {
        "ersatt"
    };
    let mut out = String::from("---\nkind: version\n");
    let _ = write!(
        out,
        "work: {}\nversion: \"{}\"\ndate: {}\nstatus: {status}\ntitle: {}\nsummary: {}\n",
        work.id,
        version.id,
        version.date.iso(),
        yaml_string(&work.title),
        yaml_string(&sentence(rng))
    );
    let identifier = format!(
        "Dnr KSL/{}/{:04}",
        version.date.year % 100,
        rng.below(10_000)
    );
    out.push_str(&provenance(
        rng,
        "Kommunförbundet Stockholms län (KSL)",
        &[identifier],
    ));
    if let (Some(links), Some(previous)) = (&version.declared, position.checked_sub(1)) {
        let _ = write!(
            out,
            "lineage:\n  from: \"{}\"\n  clauses:\n",
            work.versions[previous].id
        );
        for link in links {
            let _ = write!(
                out,
                "    - from: {}\n      to: {}\n",
                ids_yaml(&link.from),
                ids_yaml(&link.to)
            );
            if let Some(note) = &link.note {
                let _ = writeln!(out, "      note: {}", yaml_string(note));
            }
        }
    }
    out.push_str(&events_yaml(rng, version.date.year, 2));
    out.push_str("---\n");
    for (index, clause) in version.clauses.iter().enumerate() {
        match &clause.title {
            None => out.push_str("\n## Utgångspunkter\n"),
            Some(title) => {
                let _ = write!(out, "\n## § {index} {title}\n");
            }
        }
        for para in &clause.paras {
            let _ = write!(out, "\n{}\n", para.text);
            if !para.items.is_empty() {
                out.push('\n');
                for (n, item) in para.items.iter().enumerate() {
                    let _ = writeln!(out, "{}. {item}", n + 1);
                }
            }
        }
    }
    out
}

/// A citation of a random clause or stycke of a version: (link text, `@/` target).
fn cite(rng: &mut Rng, work: &WorkSpec, position: usize) -> (String, String) {
    let version = &work.versions[position];
    let index = rng.below(version.clauses.len());
    let clause = &version.clauses[index];
    let label = if index == 0 {
        "utgångspunkterna".to_string()
    } else {
        format!("§ {index}")
    };
    let path = format!("@/{}/{}.md", work.id, version.id);
    if rng.chance(0.5) {
        let stycke = rng.between(1, clause.paras.len());
        // Only numbered clauses have stycke ids of the form P5S2.
        if index > 0 {
            return (
                format!("{label} stycke {stycke}"),
                format!("{path}#{}S{stycke}", clause_id(index)),
            );
        }
    }
    (label, format!("{path}#{}", clause_id(index)))
}

fn document_file(
    rng: &mut Rng,
    works: &[WorkSpec],
    earlier: &[(String, Date)],
    number: usize,
) -> (String, Date, String) {
    // Documents gather around some works more than others, as real ones do.
    let work_index = if rng.chance(0.3) {
        rng.below(works.len().min(5))
    } else {
        rng.below(works.len())
    };
    let work = &works[work_index];
    let position = rng.below(work.versions.len());
    let version = &work.versions[position];
    let (doc_type, file_kind) = *rng.pick(DOCUMENT_TYPES);
    let municipality = *rng.pick(MUNICIPALITIES);
    let body = *rng.pick(BODIES);
    let organisation = format!("{municipality} kommun, {}", capitalize(body));
    let year = version.date.year + rng.below(2) as u32;
    let date = Date::random_in(rng, year);
    let path = format!("dokument/{file_kind}-{number:05}.md");
    let mut concerns = vec![format!("{}/{}", work.id, version.id)];
    if position > 0 && rng.chance(0.4) {
        concerns.push(format!("{}/{}", work.id, work.versions[position - 1].id));
    }
    let concerns: Vec<String> = concerns.iter().map(|c| yaml_string(c)).collect();
    let mut out = String::from("---\nkind: document\n");
    let _ = write!(
        out,
        "type: {doc_type}\ntitle: {}\norganisation: {}\ndate: {}\ndnr: \"{}/{:04}\"\nconcerns: [{}]\nsummary: {}\n",
        yaml_string(&format!(
            "{} från {} om {}",
            capitalize(doc_type),
            organisation,
            work.short_title
        )),
        yaml_string(&organisation),
        date.iso(),
        date.year,
        rng.below(10_000),
        concerns.join(", "),
        yaml_string(&sentence(rng))
    );
    out.push_str(&provenance(rng, &organisation, &[]));
    out.push_str(&events_yaml(rng, date.year, 3));
    out.push_str("signatories:\n");
    for _ in 0..rng.between(1, 2) {
        let _ = write!(
            out,
            "  - name: {}\n    title: {}\n",
            yaml_string(NAMES[rng.below(NAMES.len())]),
            yaml_string(ROLES[rng.below(ROLES.len())]),
        );
    }
    out.push_str("---\n\n");
    let _ = writeln!(out, "Till {body} i {municipality}\n");
    let sections = [
        "Sammanfattning",
        "Bakgrund",
        "Synpunkter",
        "Förslag till beslut",
    ];
    let target_size = rng.between(2_400, 4_800);
    let start = out.len();
    for (s, section) in sections.iter().enumerate() {
        let _ = write!(out, "## {section}\n\n");
        for p in 0..rng.between(1, 3) {
            let mut text = paragraph_text(rng, 2, 4);
            // The comments cite clauses of the versions they concern.
            if s >= 1 && (p == 0 || rng.chance(0.5)) {
                let cited = if position > 0 && rng.chance(0.3) {
                    position - 1
                } else {
                    position
                };
                let (label, target) = cite(rng, work, cited);
                let _ = write!(
                    text,
                    " Se [{label} i {} ({})]({target}).",
                    work.short_title, work.versions[cited].id
                );
            }
            if s == 2 && p == 0 && !earlier.is_empty() && rng.chance(0.5) {
                let (other, _) = rng.pick(earlier);
                let anchor = if rng.chance(0.5) { "#synpunkter" } else { "" };
                let _ = write!(text, " Jämför [ett tidigare yttrande](@/{other}{anchor}).");
            }
            let _ = write!(out, "{text}\n\n");
        }
        if s == 2 && rng.chance(0.4) {
            for _ in 0..rng.between(2, 4) {
                let _ = writeln!(out, "- {}", list_item(rng));
            }
            out.push('\n');
        }
        if s == 2 {
            while out.len() - start < target_size {
                let _ = write!(out, "### {}\n\n", rng.pick(CLAUSE_TITLES));
                let _ = write!(out, "{}\n\n", paragraph_text(rng, 2, 4));
            }
        }
    }
    (path, date, out)
}

fn plain_page(rng: &mut Rng, works: &[WorkSpec], number: usize) -> String {
    let mut out = format!(
        "---\nkind: page\ntitle: \"Om samlingen, del {}\"\nsummary: {}\n---\n\n",
        number + 1,
        yaml_string(&sentence(rng))
    );
    for section in ["Om webbplatsen", "Så läser du jämförelserna", "Kontakt"] {
        let _ = write!(out, "## {section}\n\n");
        for _ in 0..3 {
            let _ = write!(out, "{}\n\n", paragraph_text(rng, 3, 3));
        }
    }
    let work = &works[rng.below(works.len())];
    let _ = writeln!(
        out,
        "Börja till exempel med [{}](@/{}/{}.md).",
        work.short_title, work.id, work.versions[0].id
    );
    out
}
