"""The base of every typed view, and the registry that picks a view for an object.

A view reads one Kubernetes object through :class:`~stslint.model.fields.Fields`: its identity
(namespace as ``kubectl apply`` would give it), its positions, and the wrong-typed fields it meets
(kept in ``problems``). A view class declares the kind and the API versions it reads — every served
and removed version of that kind — and, when cross-object rules relate that kind, the
:class:`~stslint.model.entries.Entry` type that goes into the index.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterable, TypeVar

from stslint.findings import Finding, Fix, Related
from stslint.model.entries import Entry
from stslint.model.fields import Fields, ProblemLog, TypeProblem
from stslint.model.nodes import Span, YMap

if TYPE_CHECKING:
    from stslint.loading.source_text import SourceText

EntryType = TypeVar("EntryType", bound=Entry)
Extraction = Callable[[Any], None]
"""Reads some values of an object into its entry."""


IGNORE_ANNOTATION = "stslint.io/ignore"
"""The annotation that suppresses findings about an object (read by stslint.suppress)."""


def api_group(api_version: str) -> str:
    """The API group of an apiVersion ("" for the core group: ``v1``)."""
    group, slash, _ = api_version.rpartition("/")
    return group if slash else ""


class Resource:
    """Any Kubernetes object: identity, namespace as kubectl apply would give it, and positions.

    Subclasses set ``KIND`` and ``API_VERSIONS`` (and ``CLUSTER_SCOPED``); :func:`register_view`
    makes them the view of those objects."""

    KIND: ClassVar[str] = ""
    API_VERSIONS: ClassVar[tuple[str, ...]] = ()
    CLUSTER_SCOPED: ClassVar[bool] = False
    source: SourceText | None = None
    """The source text of the object's file, where fixes are built against (set for checked files;
    None for context files, which are never fixed)."""

    def __init__(self, data: YMap, file: str, default_namespace: str | None, source_path: str | None = None) -> None:
        self.data = data
        self.file = file
        self.source_path = source_path
        self.object_at = data.span[4]
        """Where the object's mapping starts in its file: what identifies it there."""
        self.problems = ProblemLog()
        self.fields = Fields(data, "", self.problems.report)
        self.api_version = data.get("apiVersion") if isinstance(data.get("apiVersion"), str) else ""
        self.kind = data.get("kind") if isinstance(data.get("kind"), str) else ""
        meta = data.get("metadata")
        self.meta = self.fields.nested("metadata", meta) if isinstance(meta, dict) else \
            Fields(YMap(data.span), "metadata", self.problems.report)
        name = self.meta.raw("name")
        self.name = name if isinstance(name, str) else ("" if name is None else _scalar_text(name))
        namespace = self.meta.raw("namespace")
        explicit = namespace if isinstance(namespace, str) and namespace else None
        self.namespace_explicit = explicit
        self.namespace = None if self.CLUSTER_SCOPED else (explicit or default_namespace)

    @property
    def ref(self) -> str:
        """``Kind/name``."""
        return f"{self.kind}/{self.name}"

    def check_identity(self) -> None:
        """Read ``metadata``, ``metadata.name`` and ``metadata.namespace`` with their types (every rule
        reads an object's identity: its name is in every message and names are what objects are
        looked up by)."""
        if self.fields.map("metadata") is not None:
            self.meta.str("name")
            self.meta.str("namespace")

    def ignore_annotation(self) -> str | None:
        """The ``stslint.io/ignore`` annotation as written, when it is a string."""
        annotations = self.meta.raw("annotations")
        value = annotations.get(IGNORE_ANNOTATION) if isinstance(annotations, dict) else None
        return value if isinstance(value, str) else None

    def is_patch(self) -> bool:
        """True for an object that is a kustomize patch rather than an object to judge."""
        return False

    def spec(self) -> Fields | None:
        """The object's ``spec``."""
        return self.fields.map("spec")

    def entry(self) -> Entry | None:
        """The index entry of this object (None for kinds that cross-object rules do not relate)."""
        return None

    def new_entry(self, entry_type: type[EntryType]) -> EntryType:
        """An entry with this object's identity and positions and no values yet."""
        meta = self.meta
        return entry_type(self.kind, self.name, self.namespace, explicit_namespace=self.namespace_explicit,
                          api_version=self.api_version, file=self.file, source_path=self.source_path,
                          object_at=self.object_at, kind_span=self.fields.key_span("kind"),
                          name_span=meta.key_span("name") if meta.has_key("name") else None,
                          annotation=self.ignore_annotation())

    def build_entry(self, entry_type: type[EntryType], groups: Iterable[tuple[str | None, Extraction]]) -> EntryType:
        """This object's entry: each ``(group, extract)`` reads values into the entry, the type problems
        it meets kept as that group's (``None``: problems that no rule needs)."""
        entry = self.new_entry(entry_type)
        log = self.problems
        start = len(log.problems)
        for group, extract in groups:
            mark = log.begin()
            extract(entry)
            if group is not None:
                entry.collect(group, log.since(mark))
        del log.problems[start:]  # the entry keeps them; the object's own reads are the rules'
        return entry

    def finding(self, code: str, message: str, span: Span, *, container: str | None = None, anchor: str = "",
                related: Iterable[Related] = (), fix: Fix | None = None) -> Finding:
        """A finding located in this object."""
        return Finding(code, message, self.file, span, object=self.ref, kind=self.kind, namespace=self.namespace,
                       container=container, anchor=anchor, source_path=self.source_path, object_at=self.object_at,
                       related=tuple(related), fix=fix)


def type_finding(owner: Resource | Entry, problem: TypeProblem) -> Finding:
    """The STS006 finding of a wrong-typed field of an object (a view or an index entry)."""
    return owner.finding("STS006", f'{owner.kind} "{owner.name}": {problem.path} must be {problem.expected}, '
                         f"not {problem.found}", problem.span, anchor=problem.path)


VIEWS: dict[tuple[str, str], type[Resource]] = {}
"""View classes by (API group, kind)."""


def register_view(cls: type[Resource]) -> type[Resource]:
    """Make ``cls`` the view of its kind in its API groups (a class decorator)."""
    if not cls.KIND or not cls.API_VERSIONS:
        raise TypeError(f"view {cls.__name__} must declare KIND and API_VERSIONS")
    for version in cls.API_VERSIONS:
        VIEWS[(api_group(version), cls.KIND)] = cls
    return cls


def view_class(data: YMap) -> type[Resource]:
    """The view class of an object: the one registered for its kind and API group, whatever the
    version within a named group (``apps/v1beta1`` StatefulSets included); in the core group, whose
    only version is ``v1``, one of the versions the view declares. Else plain Resource."""
    kind, api = data.get("kind"), data.get("apiVersion")
    if not isinstance(kind, str) or not isinstance(api, str):
        return Resource
    group = api_group(api)
    cls = VIEWS.get((group, kind))
    return cls if cls is not None and (group or api in cls.API_VERSIONS) else Resource


def _scalar_text(value: Any) -> str:
    """A wrong-typed name as text: a number or boolean as written, a collection as nothing (it may be
    an alias-shared structure that printing would expand exponentially)."""
    return "" if isinstance(value, (dict, list)) else str(value)
