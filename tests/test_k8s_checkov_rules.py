"""Rules added for checkov's Kubernetes checks (issue 12): ingress-nginx snippet annotations
(CKV_K8S_152-154) and insecure control-plane flags in static pod manifests (CKV_K8S_68-151).
Each asserts rule, line, column and text."""

from kubelint.api import lint_text


def found(text: str, rule: str) -> list[tuple]:
    return [(f.rule, f.line, f.column, f.message) for f in lint_text(text, select=[rule])]


def test_each_snippet_annotation_is_reported_and_the_dangerous_ones_say_why():
    text = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    nginx.ingress.kubernetes.io/configuration-snippet: |
      more_set_headers "X-Root: yes";
    nginx.org/location-snippets: "content_by_lua_block { ngx.say('hi') }"
    nginx.ingress.kubernetes.io/server-snippet: "location /f { root /etc; }"
    nginx.ingress.kubernetes.io/auth-snippet: "proxy_set_header X-Token /var/run/secrets/x;"
    example.com/snippet: "not an nginx controller's annotation"
    nginx.ingress.kubernetes.io/proxy-body-size: 8m
spec:
  ingressClassName: nginx
"""
    exploit = "the shape of the CVE-2021-25742 exploit that reads the controller's credentials"
    assert found(text, "ingress-nginx-snippet") == [
        ("ingress-nginx-snippet", 6, 5,
         "Ingress 'web' uses the snippet annotation 'nginx.ingress.kubernetes.io/configuration-snippet': "
         "raw nginx configuration in the shared controller, refused by default since CVE-2021-25742"),
        ("ingress-nginx-snippet", 8, 5,
         f"Ingress 'web': snippet annotation 'nginx.org/location-snippets' holds Lua code, {exploit}"),
        ("ingress-nginx-snippet", 9, 5,
         "Ingress 'web': snippet annotation 'nginx.ingress.kubernetes.io/server-snippet' holds an alias or "
         f"root directive (serves files of the controller), {exploit}"),
        ("ingress-nginx-snippet", 10, 5,
         "Ingress 'web': snippet annotation 'nginx.ingress.kubernetes.io/auth-snippet' holds a path to "
         f"service account credentials, {exploit}"),
    ]


def test_snippets_on_other_kinds_and_the_controller_configmap_pass():
    """The controller's own ConfigMap (`server-snippet` set by the cluster admin) and a pod
    template's annotations are not Ingress annotations: only Ingress authors are the threat."""
    text = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: ingress-nginx-controller
  annotations:
    nginx.ingress.kubernetes.io/server-snippet: "x"
data:
  server-snippet: |
    location /healthz { return 200; }
"""
    assert found(text, "ingress-nginx-snippet") == []
