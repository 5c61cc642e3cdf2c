"""What `render` and `export` have in common: the built site's pages, for whoever writes
or reads them. A floor under both (which never import each other); it imports only
`errors` from the builder (never `model`, never mkdocs).

- `urls`: relative URLs between files of a site or package, resolving a page's links;
- `jsdata`: data handed to the browser as JavaScript text (`script_json`);
- `html`: a tree of a built page that gives back its text byte for byte (read by a fast
  reader of the shapes mkdocs writes, HTMLParser for anything else);
- `rewrite`: a site's pages turned into a package's (links that leave it cut, the files
  they use collected, a format's runtime script added), and `PageCache`, which keeps each
  page rewritten once per part for every package of an export run, whatever the format;
- `safe_markdown`: Markdown for untrusted text (quiz prompts, choices, feedback), raw HTML
  shown as text, for the site's quizzes and for formats that carry questions as HTML;
- `strings`: the interface strings per language, with a course's own wording over them.
"""
