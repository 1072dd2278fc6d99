from django.urls import path

from langso.portal.views import news, public, sharing

app_name = "portal"

urlpatterns = [
    # The public site, for anyone.
    path("public/<str:code>/", public.home, name="home"),
    path("public/<str:code>/news/", public.news_list, name="news"),
    path("public/<str:code>/news/<int:year>/<int:month>/", public.news_list, name="news-month"),
    path("public/<str:code>/news/<int:pk>/", public.article, name="article"),
    path(
        "public/<str:code>/news/<int:pk>/photo.<str:ext>",
        public.article_image,
        name="article-image",
    ),
    path("public/<str:code>/files/<int:pk>/", public.attachment, name="attachment"),
    path("public/<str:code>/banner.<str:ext>", public.banner, name="banner"),
    path("public/<str:code>/procedures/", public.procedure_list, name="procedures"),
    path("public/<str:code>/procedures/<slug:slug>/", public.procedure, name="procedure"),
    path("public/<str:code>/offline/", public.offline, name="offline"),
    path("public/<str:code>/news/feed.rss", sharing.news_rss, name="news-rss"),
    path("public/<str:code>/news/feed.atom", sharing.news_atom, name="news-atom"),
    path("public/<str:code>/notices/feed.rss", sharing.notices_rss, name="notices-rss"),
    path("public/<str:code>/notices/feed.atom", sharing.notices_atom, name="notices-atom"),
    path("public/<str:code>/manifest.webmanifest", sharing.manifest, name="manifest"),
    path("public/<str:code>/sw.js", sharing.service_worker, name="service-worker"),
    path("language/", public.language, name="language"),
    path("sitemap.xml", sharing.sitemap, name="sitemap"),
    path("robots.txt", sharing.robots, name="robots"),
    # The editor's and the administrator's pages.
    path("portal/news/", news.article_list, name="article-list"),
    path("portal/news/new/<int:commune_pk>/", news.article_create, name="article-create"),
    path("portal/news/preview/<int:commune_pk>/", news.preview, name="article-preview"),
    path("portal/news/<int:pk>/", news.article_edit, name="article-edit"),
    path("portal/news/<int:pk>/publish/", news.article_publish, name="article-publish"),
    path("portal/news/<int:pk>/unpublish/", news.article_unpublish, name="article-unpublish"),
    path("portal/attachments/<int:pk>/remove/", news.attachment_remove, name="attachment-remove"),
    path("portal/site/<int:commune_pk>/", news.site_edit, name="site-edit"),
]
