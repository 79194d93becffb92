import factory
from django.contrib.auth.models import Group

from extranet.models import Retailer, RetailerLogin
from portal.models import Department, Employee, Position, User
from portal.permissions import Role

PASSWORD = "test-pass-2026"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"部门{n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    name = factory.Sequence(lambda n: f"职位{n}")
    name_en = factory.Sequence(lambda n: f"Position {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"U{n:05d}")
    email = factory.Sequence(lambda n: f"user{n}@factory.example.com")
    kind = User.Kind.EMPLOYEE
    must_change_password = False
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        wanted = list(extracted or [])
        if self.kind == User.Kind.EMPLOYEE:
            wanted.append(Role.EMPLOYEE)
        else:
            wanted.append(Role.RETAILER)
        self.groups.add(*Group.objects.filter(name__in=wanted))
        self.save()


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    user = factory.SubFactory(UserFactory, username=factory.SelfAttribute("..employee_number"))
    employee_number = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Iterator(["张伟", "王芳", "李娜", "刘强", "陈静", "杨磊", "赵敏", "黄勇"])
    department = factory.SubFactory(DepartmentFactory)
    position = None
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    extension = factory.Sequence(lambda n: f"{7000 + n}")
    office = "A101"


class RetailerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Retailer

    licence_number = factory.Sequence(lambda n: f"3301{n:08d}")
    store_name = factory.Sequence(lambda n: f"便利店{n}")


class RetailerLoginFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RetailerLogin

    retailer = factory.SubFactory(RetailerFactory)
    user = factory.SubFactory(
        UserFactory,
        kind=User.Kind.RETAILER,
        username=factory.SelfAttribute("..retailer.licence_number"),
        first_name=factory.SelfAttribute("..retailer.store_name"),
    )
