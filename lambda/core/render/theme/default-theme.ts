/**
 * The default theme: one Liquid template per page kind, the layout they are drawn in, and its
 * parts. A site overrides any of them with a file of the same name in its `templates/` folder.
 * Output is HTML-escaped unless a template says `| raw`; the only values meant for `raw` are
 * `content` (the page's own HTML, in the layout) and `article.content` (the sanitized body).
 */
export const defaultTemplates = {
  'layout.liquid': `<!DOCTYPE html>
<html lang="{{ page.language }}">
  <head>
    {% include 'head.liquid' %}
  </head>
  <body>
    <a class="skip" href="#main">Skip to content</a>
    {% include 'header.liquid' %}
    <main id="main" class="wrap">
{{ content | raw }}
    </main>
    {% include 'footer.liquid' %}
  </body>
</html>
`,
  'head.liquid': `<meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="light dark">
    <title>{{ page.title }}</title>
    <meta name="description" content="{{ page.description }}">
    <link rel="icon" href="{{ site.icon_url | default: 'data:,' }}">
    {%- for feed in page.feeds %}
    <link rel="alternate" type="{{ feed.type }}" title="{{ page.feeds_name }} ({{ feed.label }})" href="{{ feed.url }}">
    {%- endfor %}
    <style>{% include 'style.liquid' %}</style>`,
  'header.liquid': `<header class="site">
      <div class="wrap">
        <a class="brand" href="{{ site.url }}">{% if site.logo_url %}<img src="{{ site.logo_url }}" alt="" height="32">{% endif %}<span>{{ site.title }}</span></a>
        <nav class="site" aria-label="Site"><ul>
          {%- for link in page.links -%}
          <li><a href="{{ link.url }}"{% if link.current %} aria-current="page"{% endif %}>{{ link.label }}</a></li>
          {%- endfor -%}
        </ul></nav>
      </div>
    </header>`,
  'footer.liquid': `<footer class="site">
      <div class="wrap">
        {%- if site.footer_text %}
        <p>{{ site.footer_text }}</p>
        {%- endif %}
        <p class="feeds">Follow {{ site.title }}: {% for feed in site.feeds %}<a href="{{ feed.url }}">{{ feed.label }}</a>{% unless forloop.last %} · {% endunless %}{% endfor %}</p>
        {%- if site.copyright %}
        <p>{{ site.copyright }}</p>
        {%- endif %}
      </div>
    </footer>`,
  'style.liquid': `
      :root { color-scheme: light dark; --text: #1a1a1a; --muted: #555; --bg: #fff; --rule: #d0d0d0; --accent: {{ site.accent_color }}; }
      @media (prefers-color-scheme: dark) { :root { --text: #e8e8e8; --muted: #b4b4b4; --bg: #121212; --rule: #3a3a3a; --accent: {{ site.dark_accent_color }}; } }
      body { font: 1rem/1.5 system-ui, sans-serif; margin: 0; color: var(--text); background: var(--bg); overflow-wrap: break-word; }
      .wrap { max-width: 42rem; margin: 0 auto; padding: 0 1rem; }
      a { color: var(--accent); }
      a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
      .skip { position: absolute; left: -100vw; }
      .skip:focus { left: 1rem; top: 1rem; padding: 0.5rem; background: var(--bg); }
      header.site { border-top: 4px solid var(--accent); border-bottom: 1px solid var(--rule); }
      header.site .wrap { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1.25rem; padding-block: 0.75rem; }
      .brand { display: flex; align-items: center; gap: 0.5rem; font-weight: 700; font-size: 1.15rem; color: var(--text); text-decoration: none; }
      .brand img { height: 2rem; width: auto; }
      nav.site ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0; padding: 0; list-style: none; }
      [aria-current="page"] { font-weight: 600; }
      main { padding-block: 0.5rem 2rem; }
      footer.site { border-top: 1px solid var(--rule); color: var(--muted); font-size: 0.9em; padding-block: 0.5rem 1.5rem; }
      code { word-break: break-all; font-size: 0.85em; }
      h3 { margin-bottom: 0; font-size: 1.05rem; }
      time, .meta, figcaption { color: var(--muted); font-size: 0.9em; }
      img, video, iframe { max-width: 100%; height: auto; }
      figure { margin: 1rem 0; }
      ul.latest, ul.categories, ul.periods { list-style: none; padding: 0; }
      ul.categories li { display: inline; margin-right: 0.75rem; }
      nav.pager ul { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0.5rem 1rem; list-style: none; padding: 0; }
      @media print { .skip, nav.site, nav.pager, footer.site .feeds { display: none; } body { color: #000; background: #fff; } a { color: inherit; } }
    `,
  'listed-article.liquid': `<li>
          <h3><a href="{{ item.url }}">{{ item.title }}</a></h3>
          <time datetime="{{ item.date_iso }}">{{ item.date }}</time>
          {%- if item.summary %}
          <p>{{ item.summary }}</p>
          {%- endif %}
        </li>`,
  'feed-links.liquid': `{% for feed in feeds %}<a href="{{ feed.url }}">{{ feed.label }}</a>{% unless forloop.last %} · {% endunless %}{% endfor %}`,
  'article.liquid': `      <article>
        <h1>{{ article.title }}</h1>
        <p class="meta">
          {%- if article.dateline %}<span class="dateline">{{ article.dateline }}</span> · {% endif -%}
          <time datetime="{{ article.date_iso }}">{{ article.date }}</time>
          {%- if article.authors.size > 0 %} · <span class="byline">
            {%- for author in article.authors -%}
            {%- if author.url %}<a href="{{ author.url }}" rel="author">{{ author.name }}</a>{% else %}{{ author.name }}{% endif -%}
            {%- unless forloop.last %}, {% endunless -%}
            {%- endfor -%}
          </span>{% endif -%}
        </p>
        {{ article.content | raw }}
      </article>
      {%- if article.categories.size > 0 %}
      <nav aria-label="Categories">
        <ul class="categories">
          {%- for category in article.categories %}
          <li><a href="{{ category.url }}">{{ category.name }}</a></li>
          {%- endfor %}
        </ul>
      </nav>
      {%- endif %}
      {%- if article.older or article.newer %}
      <nav class="pager" aria-label="More articles">
        <ul>
          {%- if article.older %}
          <li><a href="{{ article.older.url }}" rel="prev">← {{ article.older.title }}</a></li>
          {%- endif %}
          {%- if article.newer %}
          <li><a href="{{ article.newer.url }}" rel="next">{{ article.newer.title }} →</a></li>
          {%- endif %}
        </ul>
      </nav>
      {%- endif %}`,
  'subscribe.liquid': `      <h1>{{ scope.name }}</h1>
      <p>{{ site.description }}</p>
      <h2>Subscribe</h2>
      <p>In one click: {% for reader in readers %}<a href="{{ reader.url }}" rel="nofollow">{{ reader.name }}</a>{% unless forloop.last %} · {% endunless %}{% endfor %}.</p>
      <p>Or copy a feed address into your feed reader. Any reader takes RSS; pick Atom if yours
      offers it, for exact dates and full text; JSON Feed suits newer readers and scripts.</p>
      <ul>
        {%- for feed in scope.feeds %}
        <li><a href="{{ feed.url }}">{{ feed.label }}</a>: <code>{{ feed.url }}</code></li>
        {%- endfor %}
      </ul>
      {%- if categories.size > 0 %}
      <h2>By category</h2>
      <ul>
        {%- for category in categories %}
        <li><a href="{{ category.url }}">{{ category.name }}</a>: {% include 'feed-links.liquid', feeds: category.feeds %}</li>
        {%- endfor %}
      </ul>
      {%- endif %}
      {%- if scope.is_category %}
      <p><a href="{{ site.url }}">All of {{ site.title }}</a></p>
      {%- endif %}
      <h2>Latest</h2>
      <ul class="latest">
        {%- for item in latest %}
        {% include 'listed-article.liquid', item: item %}
        {%- else %}
        <li>Nothing published yet.</li>
        {%- endfor %}
      </ul>`,
  'categories.liquid': `      <h1>Categories</h1>
      <ul>
        {%- for category in categories %}
        <li><a href="{{ category.url }}">{{ category.name }}</a> <span class="meta">{% include 'feed-links.liquid', feeds: category.feeds %}</span></li>
        {%- else %}
        <li>No categories yet.</li>
        {%- endfor %}
      </ul>`,
  'archive.liquid': `      <h1>{{ archive.name }}: archive</h1>
      {%- if archive.window_count > 0 %}
      <p>The newest {{ archive.window_count }} {% if archive.window_count == 1 %}article is{% else %}articles are{% endif %} on <a href="{{ archive.current_url }}">the latest page</a> and in the feeds; the older ones are here, by {{ archive.period_kind }}.</p>
      {%- endif %}
      <ul class="periods">
        {%- for period in archive.periods %}
        <li><a href="{{ period.url }}">{{ period.label }}</a> <span class="meta">{{ period.count }} {% if period.count == 1 %}article{% else %}articles{% endif %}</span></li>
        {%- else %}
        <li>Nothing archived yet.</li>
        {%- endfor %}
      </ul>`,
  'period.liquid': `      <h1>{{ archive.name }}: {{ period.label }}</h1>
      <p class="meta">{{ period.count }} {% if period.count == 1 %}article{% else %}articles{% endif %} · {% include 'feed-links.liquid', feeds: period.feeds %}</p>
      <ul class="latest">
        {%- for item in period.items %}
        {% include 'listed-article.liquid', item: item %}
        {%- endfor %}
      </ul>
      <nav class="pager" aria-label="Other periods">
        <ul>
          {%- if period.older %}
          <li><a href="{{ period.older.url }}" rel="prev">← {{ period.older.label }}</a></li>
          {%- endif %}
          <li><a href="{{ archive.url }}">All periods</a></li>
          {%- if period.newer %}
          <li><a href="{{ period.newer.url }}" rel="next">{{ period.newer.label }} →</a></li>
          {%- endif %}
        </ul>
      </nav>`,
} as const;

/** A template of the theme, by file name. */
export type TemplateName = keyof typeof defaultTemplates;

export const templateNames = Object.keys(defaultTemplates) as TemplateName[];
