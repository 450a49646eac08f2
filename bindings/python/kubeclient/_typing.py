"""The type variable of typed resources and informers (``Resource[Pod]``, ``Informer[Pod]``,
``LazyObject[Pod]``).

Its own module so that client.py, informer.py and lazyobject.py share it without importing
kubeclient.models at run time (the models are read by type checkers only).

Covariant, because these classes only hand objects out (``Resource[Pod]`` is a
``Resource[Mapping[str, Any]]``). Type checkers see a default (PEP 696), ``Any``: a bare
``LazyObject`` / ``Informer`` / ``Resource`` annotation accepts every typed one, so handlers
annotated ``LazyObject`` before typed informers existed still type-check under ``mypy --strict``
(an unparameterised annotation is not an error, and ``LazyObject[Pod]`` fits it). At run time the
default is left out (``typing.TypeVar`` takes it from Python 3.13 on): nothing needs
typing_extensions."""
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from typing_extensions import TypeVar

    ObjectT = TypeVar("ObjectT", bound=Mapping[str, Any], covariant=True, default=Any)
else:
    from typing import TypeVar

    #: An object's type: a TypedDict from kubeclient.models (``Pod``), a CRD's generated
    #: TypedDict, or ``dict[str, Any]`` when nothing is known.
    ObjectT = TypeVar("ObjectT", bound=Mapping[str, Any], covariant=True)
