# The public API as IDEs and type checkers see it; __init__.py imports the same names lazily.
from course_lib.client import Call as Call
from course_lib.client import CallRefused as CallRefused
from course_lib.client import MiddlewareError as MiddlewareError
from course_lib.client import Pipeline as Pipeline
from course_lib.client import connect as connect
from course_lib.clock import Clock as Clock
from course_lib.pricing import ModelPrice as ModelPrice
from course_lib.pricing import PriceBook as PriceBook
from course_lib.pricing import UnknownModelError as UnknownModelError
from course_lib.pricing import Usage as Usage
from course_lib.pricing import cost_of as cost_of
from course_lib.text import contains as contains
from course_lib.text import fact_in_text as fact_in_text
from course_lib.text import normalize as normalize
from course_lib.tokens import CostEstimate as CostEstimate
from course_lib.tokens import TokenizerFileError as TokenizerFileError
from course_lib.tokens import count_chat_tokens as count_chat_tokens
from course_lib.tokens import count_tokens as count_tokens
from course_lib.tokens import encoding_for_model as encoding_for_model
from course_lib.tokens import encoding_name_for_model as encoding_name_for_model
from course_lib.tokens import estimate_cost as estimate_cost
from course_lib.tokens import get_encoding as get_encoding
from course_lib.usage import CallRecord as CallRecord
from course_lib.usage import Ledger as Ledger

__all__: list[str]
