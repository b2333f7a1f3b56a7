"""Values that must never take effect: script payloads that would run if any user text reached
the page as HTML, and secrets that must never reach a log or a page."""

SCRIPT_TITLE = "<script>window.__lesionlab_xss='title'</script> Nevi"
IMAGE_NAME = "<img src=x onerror=\"window.__lesionlab_xss='name'\"> Year 3"
SECRETS = {"cookie_secret": "cookie-s3cret-5f1e8a", "client_secret": "client-s3cret-9b2c4d",
           "api_key": "api-s3cret-77aa01"}
